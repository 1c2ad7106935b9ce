package dev.qrref.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds backends through {@link ServiceLoader}. */
public final class Backends {
    private Backends() {
    }

    /** Names of the backends whose providers are on the class path (whether or not they can run here). */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            out.add(p.name());
        }
        return out;
    }

    /** Opens backend {@code name}; throws {@link BackendUnavailableException} if it is absent or cannot run. */
    public static Backend open(String name) {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals(name)) {
                return p.open();
            }
        }
        throw new BackendUnavailableException("no backend named '" + name + "' on the class path (present: " + names() + ")");
    }
}
