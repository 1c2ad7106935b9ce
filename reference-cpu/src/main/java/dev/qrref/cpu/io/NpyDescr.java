package dev.qrref.cpu.io;

import dev.qrref.spec.DType;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code 'descr'} of a {@code .npy} header read as {@code numpy.lib.format.descr_to_dtype} reads it (NumPy 1.24), as
 * far as it decides whether the array is one this project accepts: a dtype string in every spelling {@code numpy.dtype}
 * takes ({@code '<f2'}, {@code '|f2'}, {@code '=e'}, {@code 'float16'}, {@code 'f 2'}, {@code '1f2'}, {@code 'f2,'},
 * {@code '(1,)f2'}, ...), or a tuple {@code (descr, shape)} or {@code (descr, other dtype of the same size)}. Lists
 * (structured dtypes) are never accepted.
 *
 * <p>The model knows the sizes of NumPy's built-in type codes, kind+size spellings and the names of its 0-, 1- and
 * 2-byte scalar types; a dtype it cannot size does not have the 2 bytes the accepted types need. {@link #of} returns
 * the element type, its byte order and how many elements one item holds (a sub-array dtype), or throws.
 */
final class NpyDescr {
    /** Thrown when NumPy would fail to build the dtype, or builds one of another size; the message says why. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * A dtype: {@code base} is "f2", "u2" or "i2" for the 2-byte numbers, else a short description of another type;
     * {@code elsize} the bytes of one item; {@code count} the base elements per item (sub-arrays), {@code fields}
     * whether it has named fields.
     */
    record Dt(String base, boolean bigEndian, long elsize, long count, boolean fields) {
        static Dt scalar(String base, boolean bigEndian, long size) {
            return new Dt(base, bigEndian, size, 1, false);
        }
    }

    /** What the accepted descr means: the element type and how many elements each item of the array holds. */
    record Result(DType dtype, long elementsPerItem) {
    }

    private static final boolean NATIVE_LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long INT_MAX = Integer.MAX_VALUE;

    /** NumPy's single-character type codes and their sizes (S, a, U and V without a size are 0 bytes). */
    private static final Map<Character, Dt> CODES = Map.ofEntries(
            Map.entry('?', Dt.scalar("bool", false, 1)), Map.entry('b', Dt.scalar("i1", false, 1)),
            Map.entry('B', Dt.scalar("u1", false, 1)), Map.entry('h', Dt.scalar("i2", false, 2)),
            Map.entry('H', Dt.scalar("u2", false, 2)), Map.entry('e', Dt.scalar("f2", false, 2)),
            Map.entry('i', Dt.scalar("i4", false, 4)), Map.entry('I', Dt.scalar("u4", false, 4)),
            Map.entry('f', Dt.scalar("f4", false, 4)), Map.entry('l', Dt.scalar("i8", false, 8)),
            Map.entry('L', Dt.scalar("u8", false, 8)), Map.entry('q', Dt.scalar("i8", false, 8)),
            Map.entry('Q', Dt.scalar("u8", false, 8)), Map.entry('p', Dt.scalar("i8", false, 8)),
            Map.entry('P', Dt.scalar("u8", false, 8)), Map.entry('d', Dt.scalar("f8", false, 8)),
            Map.entry('g', Dt.scalar("f16", false, 16)), Map.entry('F', Dt.scalar("c8", false, 8)),
            Map.entry('D', Dt.scalar("c16", false, 16)), Map.entry('G', Dt.scalar("c32", false, 32)),
            Map.entry('O', Dt.scalar("object", false, 8)), Map.entry('M', Dt.scalar("datetime64", false, 8)),
            Map.entry('m', Dt.scalar("timedelta64", false, 8)), Map.entry('S', Dt.scalar("S", false, 0)),
            Map.entry('a', Dt.scalar("S", false, 0)), Map.entry('U', Dt.scalar("U", false, 0)),
            Map.entry('V', Dt.scalar("V", false, 0)), Map.entry('c', Dt.scalar("S1", false, 1)));

    /** Names of NumPy's scalar types of 0, 1 and 2 bytes (numpy.sctypeDict), looked up only without a byte-order mark. */
    private static final Map<String, Dt> NAMES = Map.ofEntries(
            Map.entry("float16", Dt.scalar("f2", false, 2)), Map.entry("half", Dt.scalar("f2", false, 2)),
            Map.entry("f2", Dt.scalar("f2", false, 2)), Map.entry("uint16", Dt.scalar("u2", false, 2)),
            Map.entry("ushort", Dt.scalar("u2", false, 2)), Map.entry("u2", Dt.scalar("u2", false, 2)),
            Map.entry("int16", Dt.scalar("i2", false, 2)), Map.entry("short", Dt.scalar("i2", false, 2)),
            Map.entry("i2", Dt.scalar("i2", false, 2)), Map.entry("bool", Dt.scalar("bool", false, 1)),
            Map.entry("bool8", Dt.scalar("bool", false, 1)), Map.entry("bool_", Dt.scalar("bool", false, 1)),
            Map.entry("b1", Dt.scalar("bool", false, 1)), Map.entry("byte", Dt.scalar("i1", false, 1)),
            Map.entry("int8", Dt.scalar("i1", false, 1)), Map.entry("i1", Dt.scalar("i1", false, 1)),
            Map.entry("ubyte", Dt.scalar("u1", false, 1)), Map.entry("uint8", Dt.scalar("u1", false, 1)),
            Map.entry("u1", Dt.scalar("u1", false, 1)), Map.entry("bytes", Dt.scalar("S", false, 0)),
            Map.entry("bytes0", Dt.scalar("S", false, 0)), Map.entry("bytes_", Dt.scalar("S", false, 0)),
            Map.entry("string_", Dt.scalar("S", false, 0)), Map.entry("str", Dt.scalar("U", false, 0)),
            Map.entry("str0", Dt.scalar("U", false, 0)), Map.entry("str_", Dt.scalar("U", false, 0)),
            Map.entry("unicode", Dt.scalar("U", false, 0)), Map.entry("unicode_", Dt.scalar("U", false, 0)),
            Map.entry("void", Dt.scalar("V", false, 0)), Map.entry("void0", Dt.scalar("V", false, 0)));

    /** numpy/core/_internal.py's format_re, sep_re and space_re (Python's \s is Unicode whitespace). */
    private static final String PY_SPACE = "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
    private static final Pattern FORMAT = Pattern.compile(
            "([<>|=]?)( *[(]?[ ,0-9]*[)]? *)([<>|=]?)([A-Za-z0-9.?]*(?:\\[[a-zA-Z0-9,.]+\\])?)");
    private static final Pattern SEP = Pattern.compile(PY_SPACE + "*," + PY_SPACE + "*");
    private static final Pattern SPACE_TO_END = Pattern.compile(PY_SPACE + "+");

    private NpyDescr() {
    }

    /** The accepted meaning of a descr, or the reason it is not accepted. */
    static Result of(Object descr) throws Refused {
        Dt dt = descrToDtype(descr);
        if (dt.fields) {
            throw new Refused("a structured dtype");
        }
        DType t = switch (dt.base) {
            case "f2" -> DType.FP16;
            case "u2" -> DType.BF16;
            default -> null;
        };
        if (t == null || dt.bigEndian) {
            throw new Refused(dt.bigEndian && t != null ? "big-endian" : "a " + dt.base + " dtype");
        }
        return new Result(t, dt.count);
    }

    /** numpy.lib.format.descr_to_dtype. */
    private static Dt descrToDtype(Object d) throws Refused {
        if (d instanceof String s) {
            return fromString(s);
        }
        if (d instanceof PyLiteral.PyTuple t) {
            if (t.items().size() < 2) {
                throw new Refused("a descr tuple of fewer than 2 items");
            }
            return fromTuple(descrToDtype(t.items().get(0)), t.items().get(1));
        }
        throw new Refused(d instanceof List<?> ? "a structured dtype" : "not a dtype descriptor");
    }

    /** numpy's _convert_from_any for the values a literal can hold. */
    private static Dt convertAny(Object o) throws Refused {
        if (o instanceof String s) {
            return fromString(s);
        }
        if (o instanceof PyLiteral.PyBytes b) {
            for (byte x : b.bytes()) {
                if (x < 0) {
                    throw new Refused("non-ASCII bytes as a dtype");
                }
            }
            return fromString(new String(b.bytes(), StandardCharsets.US_ASCII));
        }
        if (o instanceof PyLiteral.PyTuple t) {
            if (t.items().size() != 2) {
                throw new Refused("a dtype tuple that does not have 2 items");
            }
            return fromTuple(convertAny(t.items().get(0)), t.items().get(1));
        }
        if (o instanceof List<?> l) {
            for (Object item : l) {
                if (!(item instanceof PyLiteral.PyTuple)) {
                    throw new Refused("a list that is not a list of fields");
                }
            }
            return new Dt("structured", false, -1, 1, true);
        }
        if (o == PyLiteral.NONE) {
            return Dt.scalar("f8", false, 8);
        }
        if (o instanceof PyLiteral.PyDict) {
            return new Dt("structured", false, -1, 1, true);
        }
        throw new Refused("cannot be read as a dtype: " + PyLiteral.repr(o));
    }

    /** numpy.dtype((dt, val)): a sub-array shape, or another dtype of the same size whose fields dt takes over. */
    private static Dt fromTuple(Dt dt, Object val) throws Refused {
        boolean integer = val instanceof Long || val instanceof BigInteger;
        boolean tupleOfIntegers = val instanceof PyLiteral.PyTuple t && t.items().stream().allMatch(x -> x instanceof Long
                || x instanceof BigInteger || x instanceof Boolean);
        if (!integer && !tupleOfIntegers && !(val instanceof Boolean)) {
            Dt conv = null;
            try {
                conv = convertAny(val);
            } catch (Refused e) {
                // not a dtype: read as a shape below
            }
            if (conv != null) {
                if (conv.elsize != dt.elsize) {
                    throw new Refused("a dtype tuple whose two dtypes differ in size");
                }
                return new Dt(dt.base, dt.bigEndian, dt.elsize, dt.count, dt.fields || conv.fields);
            }
        }
        List<Long> shape = new ArrayList<>();
        if (integer) {
            shape.add(dimension(val));
        } else if (val instanceof PyLiteral.PyTuple t) {
            for (Object x : t.items()) {
                shape.add(dimension(x));
            }
            if (shape.isEmpty()) {
                return dt;
            }
        } else if (val instanceof List<?> l && !l.isEmpty()) {
            for (Object x : l) {
                shape.add(dimension(x));
            }
        } else {
            throw new Refused("an invalid shape in a dtype tuple");
        }
        if (integer && shape.getFirst() == 1) {
            return dt; // (type, 1) is still read as type (deprecated)
        }
        long items = 1;
        for (long n : shape) {
            if (n < 0 || n > INT_MAX) {
                throw new Refused("an invalid shape in a dtype tuple");
            }
            items = Math.multiplyHigh(items, n) != 0 ? -1 : items * n;
            if (items < 0 || items > INT_MAX) {
                throw new Refused("a dtype tuple too large");
            }
        }
        if (items * dt.elsize > INT_MAX) {
            throw new Refused("a dtype tuple too large");
        }
        return new Dt(dt.base, dt.bigEndian, items * dt.elsize, items * dt.count, dt.fields);
    }

    private static long dimension(Object x) throws Refused {
        if (x instanceof Long l) {
            return l;
        }
        if (x instanceof BigInteger) {
            throw new Refused("a sub-array dimension out of range");
        }
        throw new Refused("an invalid shape in a dtype tuple");
    }

    /** numpy.dtype(str): descriptor.c's _convert_from_str. */
    static Dt fromString(String s) throws Refused {
        if (s.isEmpty()) {
            throw new Refused("an empty dtype string");
        }
        if (isCommaString(s)) {
            return fromCommaString(s);
        }
        int i = 0;
        boolean big = false;
        char first = s.charAt(0);
        if (first == '>' || first == '<' || first == '=' || first == '|') {
            big = first == '>' ? NATIVE_LITTLE : first == '<' && !NATIVE_LITTLE;
            i = 1;
        }
        String type = s.substring(i);
        if (type.isEmpty()) {
            throw new Refused("a byte-order mark without a type");
        }
        if (type.startsWith("M8") || type.startsWith("m8")) {
            return Dt.scalar("datetime", big, 8);
        }
        Dt found = null;
        if (type.length() == 1) {
            found = CODES.get(type.charAt(0));
        } else {
            long size = strtol(type.substring(1));
            if (size == -2) {
                throw new Refused("a dtype size out of range");
            }
            if (size >= 0) {
                found = kindAndSize(type.charAt(0), size);
            }
        }
        if (found == null) {
            found = NAMES.get(s); // the whole string: a name never has a byte-order mark
        }
        if (found == null) {
            throw new Refused("a dtype string NumPy does not understand");
        }
        boolean sized = found.elsize > 1 && !found.base.startsWith("S") && !found.base.startsWith("V") && !found.base.equals("object");
        return new Dt(found.base, sized && big, found.elsize, 1, false);
    }

    /** C strtol on the text after the kind: blanks, a sign, decimal digits, nothing after; -1 if none; -2 if too big. */
    private static long strtol(String t) {
        int p = 0;
        while (p < t.length() && " \t\n\u000B\f\r".indexOf(t.charAt(p)) >= 0) {
            p++;
        }
        boolean negative = false;
        if (p < t.length() && (t.charAt(p) == '+' || t.charAt(p) == '-')) {
            negative = t.charAt(p) == '-';
            p++;
        }
        int digits = p;
        while (p < t.length() && t.charAt(p) >= '0' && t.charAt(p) <= '9') {
            p++;
        }
        if (p == digits || p != t.length()) {
            return -1;
        }
        BigInteger v = new BigInteger(t.substring(digits, p));
        if (negative && v.signum() != 0) {
            return -2;
        }
        return v.compareTo(BigInteger.valueOf(INT_MAX)) > 0 ? -2 : v.longValue();
    }

    /** PyArray_TypestrConvert and the sized string kinds; null when NumPy has no such type (it then tries the name). */
    private static Dt kindAndSize(char kind, long size) {
        switch (kind) {
            case 'S', 'a' -> {
                return Dt.scalar("S" + size, false, size);
            }
            case 'U' -> {
                return size * 4 > INT_MAX ? null : Dt.scalar("U" + size, false, size * 4);
            }
            case 'V' -> {
                return Dt.scalar("V" + size, false, size);
            }
            default -> {
            }
        }
        if (size == 0) {
            return null;
        }
        String key = kind + Long.toString(size);
        return switch (key) {
            case "b1" -> Dt.scalar("bool", false, 1);
            case "i1", "u1" -> Dt.scalar(key, false, 1);
            case "i2", "u2", "f2" -> Dt.scalar(key, false, 2);
            case "i4", "u4", "f4", "i8", "u8", "f8", "c8", "f16", "c16", "c32", "O8" -> Dt.scalar(key, false,
                    kind == 'c' ? size : kind == 'O' ? 8 : size);
            default -> null;
        };
    }

    /** descriptor.c's _check_for_commastring. */
    private static boolean isCommaString(String s) {
        char c0 = s.charAt(0);
        if (c0 >= '0' && c0 <= '9') {
            return true;
        }
        boolean order0 = c0 == '<' || c0 == '>' || c0 == '|' || c0 == '=';
        if (s.length() > 1 && order0 && s.charAt(1) >= '0' && s.charAt(1) <= '9') {
            return true;
        }
        if ((s.length() > 1 && c0 == '(' && s.charAt(1) == ')') || (s.length() > 3 && order0 && s.charAt(1) == '(' && s.charAt(2) == ')')) {
            return true;
        }
        int bracket = 0;
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case ',' -> {
                    if (bracket == 0) {
                        return true;
                    }
                }
                case '[' -> bracket++;
                case ']' -> bracket--;
                default -> {
                }
            }
        }
        return false;
    }

    /** numpy/core/_internal.py's _commastring; one format is that dtype, several are a structured dtype. */
    private static Dt fromCommaString(String s) throws Refused {
        List<Object> items = new ArrayList<>();
        int start = 0;
        while (start < s.length()) {
            Matcher m = FORMAT.matcher(s);
            m.region(start, s.length());
            if (!m.lookingAt()) {
                throw new Refused("a dtype format NumPy does not recognise");
            }
            String order1 = m.group(1);
            String repeats = m.group(2);
            String order2 = m.group(3);
            String type = m.group(4);
            start = m.end();
            if (start < s.length()) {
                Matcher space = SPACE_TO_END.matcher(s);
                space.region(start, s.length());
                if (space.matches()) {
                    start = s.length();
                } else {
                    Matcher sep = SEP.matcher(s);
                    sep.region(start, s.length());
                    if (!sep.lookingAt()) {
                        throw new Refused("a dtype format NumPy does not recognise");
                    }
                    start = sep.end();
                }
            }
            String order;
            if (order2.isEmpty()) {
                order = order1;
            } else if (order1.isEmpty()) {
                order = order2;
            } else {
                String o1 = order1.equals("=") ? nativeMark() : order1;
                String o2 = order2.equals("=") ? nativeMark() : order2;
                if (!o1.equals(o2)) {
                    throw new Refused("inconsistent byte-order marks");
                }
                order = o1;
            }
            if (order.equals("|") || order.equals("=") || order.equals(nativeMark())) {
                order = "";
            }
            String item = order + type;
            if (repeats.isEmpty()) {
                items.add(item);
            } else {
                Object shape;
                try {
                    shape = PyLiteral.literalEval(repeats, false);
                } catch (PyLiteral.SyntaxError e) {
                    throw new Refused("a repeat count NumPy cannot read");
                }
                items.add(new PyLiteral.PyTuple(List.of(item, shape)));
            }
        }
        if (items.size() != 1) {
            throw new Refused("a structured dtype");
        }
        return convertAny(items.getFirst());
    }

    private static String nativeMark() {
        return NATIVE_LITTLE ? "<" : ">";
    }
}
