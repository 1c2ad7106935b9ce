package dev.qrref.spec;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looks up an enum constant by its command-line name: the one place that parses names and words the error. */
public final class Names {
    private Names() {
    }

    /**
     * The constant of {@code values} whose {@code id} equals {@code name}, or whose enum name does with {@code -} read
     * as {@code _}, ignoring case.
     *
     * @param what what the name stands for, in the error ("codec", "profile", ...)
     * @throws InvalidArgumentException {@code unknown WHAT 'name' (expected one of a, b, c)}
     */
    public static <E extends Enum<E>> E lookup(E[] values, String name, String what, Function<E, String> id) {
        if (name != null) {
            for (E e : values) {
                if (id.apply(e).equalsIgnoreCase(name) || e.name().equalsIgnoreCase(name.replace('-', '_'))) {
                    return e;
                }
            }
        }
        throw new InvalidArgumentException("unknown " + what + " '" + name + "' (expected one of "
                + Arrays.stream(values).map(id).collect(Collectors.joining(", ")) + ")");
    }
}
