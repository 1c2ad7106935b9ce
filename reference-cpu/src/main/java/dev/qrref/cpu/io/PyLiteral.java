package dev.qrref.cpu.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code ast.literal_eval}, as NumPy applies it to a {@code .npy} header, for the text of one header: the
 * same tokens (strings with every prefix, escape and implicit concatenation; integers in every base with underscores;
 * floats, imaginary numbers; comments, line continuations, brackets over several lines), the same restrictions
 * (literals only: containers, constants, a sign on a number, {@code real ± imaginary}, {@code set()}), and NumPy's
 * filter for headers of format versions 1.0 and 2.0, which drops a name {@code L} that directly follows a number
 * (Python 2's long suffix). Anything Python would refuse, whether as a syntax error or as a node that is not a
 * literal, is a {@link SyntaxError} here.
 *
 * <p>Values: {@link String}, {@link PyBytes}, {@link Long} or {@link BigInteger} for int, {@link Boolean}, {@link Double},
 * {@link PyComplex}, {@link #NONE}, {@link #ELLIPSIS}, {@link PyTuple}, {@link List}, {@link PySet} and {@link PyDict}.
 */
final class PyLiteral {
    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };
    /** Python's {@code ...}. */
    static final Object ELLIPSIS = new Object() {
        @Override
        public String toString() {
            return "Ellipsis";
        }
    };
    /** Python 3.11 refuses to convert longer decimal integer literals (sys.int_info.default_max_str_digits). */
    private static final int MAX_DECIMAL_DIGITS = 4300;
    /** CPython's tokenizer refuses more open brackets than this. */
    private static final int MAX_NESTING = 200;

    /** A Python tuple, kept apart from lists because {@code shape} must be a tuple. */
    record PyTuple(List<Object> items) {
        @Override
        public String toString() {
            return repr(this);
        }
    }

    record PyBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PyBytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return repr(this);
        }
    }

    record PyComplex(double real, double imag) {
    }

    record PySet(List<Object> items) {
    }

    /** A dict: keys in first-insertion order, a repeated key keeps its first spelling and takes the last value. */
    record PyDict(Map<Key, Object> keys, Map<Key, Object> values) {
        Object get(String key) {
            return values.get(Key.of(key));
        }

        List<Object> keyList() {
            return new ArrayList<>(keys.values());
        }
    }

    /**
     * A hashable value as a dict key compares in Python: numbers by value across int, float, bool and complex;
     * strings, bytes and tuples by content; None and Ellipsis by identity.
     */
    record Key(Object canonical) {
        static Key of(Object v) {
            return new Key(canon(v));
        }

        private static Object canon(Object v) {
            if (v instanceof Boolean b) {
                return BigInteger.valueOf(b ? 1 : 0);
            }
            if (v instanceof Long l) {
                return BigInteger.valueOf(l);
            }
            if (v instanceof Double d) {
                return d == Math.rint(d) && !Double.isInfinite(d) ? new java.math.BigDecimal(d).toBigInteger() : d;
            }
            if (v instanceof PyComplex c) {
                return c.imag() == 0 ? canon(c.real()) : c;
            }
            if (v instanceof PyTuple t) {
                List<Object> items = new ArrayList<>();
                for (Object o : t.items()) {
                    items.add(canon(o));
                }
                return List.of("tuple", items);
            }
            if (v instanceof String s) {
                return List.of("str", s);
            }
            return v; // BigInteger, PyBytes, NONE, ELLIPSIS
        }
    }

    /** Thrown with a message that says what was found where. */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    // ---- tokens -------------------------------------------------------------------------------------------------------

    private enum T { NAME, NUMBER, STRING, OP, NEWLINE, END }

    /** {@code value}: the name, the operator, the number's value or the string's value (String or PyBytes). */
    private record Token(T type, String text, Object value, int at) {
    }

    private final String src;
    private final boolean dropLongSuffix;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int next;

    private PyLiteral(String src, boolean dropLongSuffix) {
        this.src = src;
        this.dropLongSuffix = dropLongSuffix;
    }

    /**
     * {@code ast.literal_eval(text)}; with {@code dropLongSuffix}, NumPy's header filter for format versions 1.0 and 2.0
     * first.
     */
    static Object literalEval(String text, boolean dropLongSuffix) throws SyntaxError {
        if (text.indexOf('\0') >= 0) {
            throw new SyntaxError("it contains a NUL character");
        }
        // literal_eval strips leading blanks; compile() reads \r\n and \r as \n
        int start = 0;
        while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        String s = text.substring(start).replace("\r\n", "\n").replace('\r', '\n');
        PyLiteral p = new PyLiteral(s, dropLongSuffix);
        p.tokenize();
        Object v = p.expression();
        if (p.isOp(",")) {
            // a tuple without brackets: "2," is (2,)
            List<Object> items = new ArrayList<>(List.of(v));
            while (p.isOp(",")) {
                p.next++;
                if (p.peek().type == T.NEWLINE || p.peek().type == T.END) {
                    break;
                }
                items.add(p.expression());
            }
            v = new PyTuple(items);
        }
        while (p.peek().type == T.NEWLINE) {
            p.next++;
        }
        if (p.peek().type != T.END) {
            throw p.error("unexpected text after the literal", p.peek());
        }
        return v;
    }

    /** Python-style rendering, used to quote values back in error messages (control characters escaped). */
    static String repr(Object v) {
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof PyBytes b) {
            StringBuilder s = new StringBuilder("b'");
            for (byte x : b.bytes()) {
                int c = x & 0xFF;
                s.append(c == '\'' || c == '\\' ? "\\" + (char) c : c >= 0x20 && c < 0x7F ? String.valueOf((char) c)
                        : c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : String.format("\\x%02x", c));
            }
            return s.append('\'').toString();
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d) {
            return Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : d == Math.rint(d) && Math.abs(d) < 1e16 ? String.format("%.1f", d)
                    : Double.toString(d);
        }
        if (v instanceof PyComplex c) {
            return "(" + repr(c.real()) + (c.imag() < 0 ? "-" : "+") + repr(Math.abs(c.imag())) + "j)";
        }
        if (v instanceof PyTuple t) {
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < t.items().size(); i++) {
                s.append(i == 0 ? "" : ", ").append(repr(t.items().get(i)));
            }
            return s.append(t.items().size() == 1 ? ",)" : ")").toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(repr(list.get(i)));
            }
            return s.append(']').toString();
        }
        if (v instanceof PySet set) {
            if (set.items().isEmpty()) {
                return "set()";
            }
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < set.items().size(); i++) {
                s.append(i == 0 ? "" : ", ").append(repr(set.items().get(i)));
            }
            return s.append('}').toString();
        }
        if (v instanceof PyDict d) {
            StringBuilder s = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<Key, Object> e : d.keys().entrySet()) {
                s.append(first ? "" : ", ").append(repr(e.getValue())).append(": ").append(repr(d.values().get(e.getKey())));
                first = false;
            }
            return s.append('}').toString();
        }
        return String.valueOf(v);
    }

    /** A str as Python's repr writes it: quotes chosen as Python does, control characters escaped. */
    static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(q);
        s.codePoints().forEach(c -> {
            if (c == q || c == '\\') {
                b.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                b.append(String.format("\\x%02x", c));
            } else if (!Character.isDefined(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE || Character.getType(c) == Character.PRIVATE_USE
                    || (Character.isSpaceChar(c) && c != ' ')) {
                b.append(c <= 0xFF ? String.format("\\x%02x", c) : c <= 0xFFFF ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(q).toString();
    }

    private SyntaxError error(String what, int at) {
        int from = Math.max(0, at - 20);
        int to = Math.min(src.length(), at + 20);
        return new SyntaxError(what + " at character " + at + " (near " + quote(src.substring(from, to)) + ")");
    }

    private SyntaxError error(String what, Token t) {
        return error(what, t.at);
    }

    // ---- tokenizer ----------------------------------------------------------------------------------------------------

    private void tokenize() throws SyntaxError {
        int depth = 0;
        boolean lineStart = true;
        boolean contentOnLine = false;
        boolean afterNumber = false;
        while (true) {
            if (lineStart && depth == 0) {
                // the indentation of a logical line that holds something: only the first one may, and at column 0
                int col = 0;
                int p = pos;
                while (p < src.length()) {
                    char c = src.charAt(p);
                    if (c == ' ') {
                        col++;
                    } else if (c == '\t') {
                        col = (col / 8 + 1) * 8;
                    } else if (c == '\f') {
                        col = 0;
                    } else {
                        break;
                    }
                    p++;
                }
                boolean blank = p >= src.length() || src.charAt(p) == '\n' || src.charAt(p) == '#'
                        || (src.charAt(p) == '\\' && p + 1 < src.length() && src.charAt(p + 1) == '\n');
                if (!blank && col > 0) {
                    throw error("unexpected indent", p);
                }
                pos = p;
                lineStart = false;
            }
            if (pos >= src.length()) {
                if (depth > 0) {
                    throw error("the literal ends inside brackets", pos);
                }
                if (contentOnLine) {
                    tokens.add(new Token(T.NEWLINE, "\n", null, pos));
                }
                tokens.add(new Token(T.END, "", null, pos));
                return;
            }
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\f') {
                pos++;
                continue;
            }
            if (c == '\\') {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                    pos += 2;
                    if (pos >= src.length()) {
                        throw error("the literal ends after a line continuation", pos);
                    }
                    continue;
                }
                throw error("a backslash outside a string that does not continue the line", pos);
            }
            if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
                afterNumber = false;
                continue;
            }
            if (c == '\n') {
                pos++;
                afterNumber = false;
                if (depth == 0) {
                    if (contentOnLine) {
                        tokens.add(new Token(T.NEWLINE, "\n", null, pos - 1));
                        contentOnLine = false;
                    }
                    lineStart = true;
                }
                continue;
            }
            contentOnLine = true;
            int at = pos;
            if (isIdentifierStart(c)) {
                int end = pos + 1;
                while (end < src.length() && isIdentifierPart(src.charAt(end))) {
                    end++;
                }
                String word = src.substring(pos, end);
                if (end < src.length() && (src.charAt(end) == '\'' || src.charAt(end) == '"') && isStringPrefix(word)) {
                    pos = end;
                    tokens.add(string(word.toLowerCase(java.util.Locale.ROOT), at));
                    afterNumber = false;
                    continue;
                }
                pos = end;
                if (afterNumber && dropLongSuffix && word.equals("L")) {
                    afterNumber = false; // NumPy's filter: (4L,) is read as (4,)
                    continue;
                }
                tokens.add(new Token(T.NAME, word, null, at));
                afterNumber = false;
                continue;
            }
            if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
                tokens.add(number(at));
                afterNumber = true;
                continue;
            }
            afterNumber = false;
            if (c == '\'' || c == '"') {
                tokens.add(string("", at));
                continue;
            }
            if (c == '.' && src.startsWith("...", pos)) {
                pos += 3;
                tokens.add(new Token(T.OP, "...", null, at));
                continue;
            }
            switch (c) {
                case '(', '[', '{' -> {
                    if (++depth > MAX_NESTING) {
                        throw error("too many nested brackets", at);
                    }
                }
                case ')', ']', '}' -> {
                    if (--depth < 0) {
                        throw error("unmatched '" + c + "'", at);
                    }
                }
                case ',', ':', '+', '-' -> {
                }
                default -> throw error(Character.isISOControl(c) || c >= 0x80 ? "the character " + quote(String.valueOf(c))
                        + " (not allowed outside a string)" : "'" + c + "' (not part of a literal)", at);
            }
            pos++;
            tokens.add(new Token(T.OP, String.valueOf(c), null, at));
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return c < 0x80 ? (Character.isLetter(c) || c == '_') : Character.isUnicodeIdentifierStart(c);
    }

    private static boolean isIdentifierPart(char c) {
        return c < 0x80 ? (Character.isLetterOrDigit(c) || c == '_') : Character.isUnicodeIdentifierPart(c) && !Character.isIdentifierIgnorable(c);
    }

    private static boolean isStringPrefix(String w) {
        return switch (w.toLowerCase(java.util.Locale.ROOT)) {
            case "r", "u", "b", "br", "rb", "f", "fr", "rf" -> true;
            default -> false;
        };
    }

    /** One number token: Python 3's grammar for int, float and imaginary literals. */
    private Token number(int at) throws SyntaxError {
        int p = pos;
        String s = src;
        if (s.charAt(p) == '0' && p + 1 < s.length() && "xXoObB".indexOf(s.charAt(p + 1)) >= 0) {
            char kind = Character.toLowerCase(s.charAt(p + 1));
            int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            p += 2;
            StringBuilder digits = new StringBuilder();
            while (true) {
                if (p < s.length() && s.charAt(p) == '_') {
                    p++;
                }
                if (p < s.length() && Character.digit(s.charAt(p), radix) >= 0 && s.charAt(p) < 0x80) {
                    digits.append(s.charAt(p++));
                } else {
                    if (digits.isEmpty() || s.charAt(p - 1) == '_') {
                        throw error("an invalid " + (radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary") + " literal", at);
                    }
                    break;
                }
            }
            pos = p;
            checkNumberEnd(at);
            return new Token(T.NUMBER, s.substring(at, p), intValue(new BigInteger(digits.toString(), radix)), at);
        }
        int intStart = p;
        p = digitPart(p);
        boolean isFloat = false;
        if (p < s.length() && s.charAt(p) == '.') {
            isFloat = true;
            p++;
            if (p < s.length() && isDigit(s.charAt(p))) {
                p = digitPart(p);
            }
        }
        if (p < s.length() && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
            int q = p + 1;
            if (q < s.length() && (s.charAt(q) == '+' || s.charAt(q) == '-')) {
                q++;
            }
            if (q < s.length() && isDigit(s.charAt(q))) {
                p = digitPart(q);
                isFloat = true;
            }
        }
        String literal = s.substring(intStart, p).replace("_", "");
        if (p < s.length() && (s.charAt(p) == 'j' || s.charAt(p) == 'J')) {
            pos = p + 1;
            checkNumberEnd(at);
            return new Token(T.NUMBER, s.substring(at, pos), new PyComplex(0.0, parseDouble(literal)), at);
        }
        pos = p;
        checkNumberEnd(at);
        if (isFloat) {
            return new Token(T.NUMBER, s.substring(at, p), parseDouble(literal), at);
        }
        if (literal.length() > 1 && literal.charAt(0) == '0' && !literal.chars().allMatch(ch -> ch == '0')) {
            throw error("leading zeros in a decimal integer literal", at);
        }
        if (literal.length() > MAX_DECIMAL_DIGITS) {
            throw error("a decimal integer of more than " + MAX_DECIMAL_DIGITS + " digits (Python's conversion limit)", at);
        }
        return new Token(T.NUMBER, s.substring(at, p), intValue(new BigInteger(literal)), at);
    }

    /** Digits with single underscores between them, from {@code p} (a digit); returns the end. */
    private int digitPart(int p) throws SyntaxError {
        while (p < src.length()) {
            if (isDigit(src.charAt(p))) {
                p++;
            } else if (src.charAt(p) == '_' && p + 1 < src.length() && isDigit(src.charAt(p + 1))) {
                p += 2;
            } else {
                break;
            }
        }
        if (p < src.length() && src.charAt(p) == '_') {
            throw error("an invalid decimal literal", p);
        }
        return p;
    }

    /** A number directly followed by a letter or digit is an error in Python (the L of Python 2 aside, see above). */
    private void checkNumberEnd(int at) throws SyntaxError {
        if (pos < src.length() && isIdentifierPart(src.charAt(pos))) {
            if (dropLongSuffix && src.charAt(pos) == 'L' && (pos + 1 >= src.length() || !isIdentifierPart(src.charAt(pos + 1)))) {
                return; // left for the tokenizer's filter
            }
            throw error("an invalid number literal", at);
        }
    }

    private static double parseDouble(String literal) {
        return Double.parseDouble(literal.startsWith(".") ? "0" + literal : literal.endsWith(".") ? literal + "0" : literal);
    }

    private static Object intValue(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** A string token from the quote at {@code pos}; {@code prefix} is lower case. */
    private Token string(String prefix, int at) throws SyntaxError {
        boolean raw = prefix.contains("r");
        boolean bytes = prefix.contains("b");
        if (prefix.contains("f")) {
            throw error("an f-string (not a literal)", at);
        }
        char q = src.charAt(pos);
        boolean triple = src.startsWith(String.valueOf(q).repeat(3), pos);
        pos += triple ? 3 : 1;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw error("an unterminated string", at);
            }
            char c = src.charAt(pos);
            if (triple ? src.startsWith(String.valueOf(q).repeat(3), pos) : c == q) {
                pos += triple ? 3 : 1;
                break;
            }
            if (c == '\n' && !triple) {
                throw error("an unterminated string", at);
            }
            if (bytes && c >= 0x80) {
                throw error("a non-ASCII character in a bytes literal", pos);
            }
            if (c != '\\') {
                out.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= src.length()) {
                throw error("an unterminated string", at);
            }
            char e = src.charAt(pos + 1);
            if (raw) {
                // a backslash keeps the next character (even a quote) in a raw string
                out.append(c).append(e);
                pos += 2;
                continue;
            }
            pos += 2;
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> out.append(e);
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000B');
                case 'x' -> out.appendCodePoint(hexEscape(2, at));
                case 'u', 'U', 'N' -> {
                    if (bytes) {
                        out.append('\\').append(e);
                    } else if (e == 'N') {
                        out.appendCodePoint(namedEscape(at));
                    } else {
                        int cp = hexEscape(e == 'u' ? 4 : 8, at);
                        if (cp > Character.MAX_CODE_POINT) {
                            throw error("an illegal Unicode character escape", at);
                        }
                        out.appendCodePoint(cp);
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; k++) {
                            v = v * 8 + (src.charAt(pos++) - '0');
                        }
                        out.appendCodePoint(bytes ? v & 0xFF : v); // Python keeps the low byte of b'\777'

                    } else {
                        out.append('\\').append(e); // an unknown escape stays as written
                    }
                }
            }
        }
        if (!bytes) {
            return new Token(T.STRING, "str", out.toString(), at);
        }
        byte[] b = new byte[out.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) out.charAt(i);
        }
        return new Token(T.STRING, "bytes", new PyBytes(b), at);
    }

    private int hexEscape(int digits, int at) throws SyntaxError {
        if (pos + digits > src.length()) {
            throw error("a truncated \\x, \\u or \\U escape", at);
        }
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(src.charAt(pos + i), 16);
            if (d < 0 || src.charAt(pos + i) >= 0x80) {
                throw error("a truncated \\x, \\u or \\U escape", at);
            }
            v = v * 16 + d;
        }
        pos += digits;
        return v;
    }

    private int namedEscape(int at) throws SyntaxError {
        int close = src.indexOf('}', pos);
        if (pos >= src.length() || src.charAt(pos) != '{' || close < 0) {
            throw error("a malformed \\N{...} escape", at);
        }
        String name = src.substring(pos + 1, close);
        pos = close + 1;
        try {
            return Character.codePointOf(name);
        } catch (IllegalArgumentException e) {
            throw error("an unknown Unicode character name in \\N{...}", at);
        }
    }

    // ---- parser: the literal subset of Python expressions ------------------------------------------------------------

    private Token peek() {
        return tokens.get(next);
    }

    private boolean isOp(String op) {
        return peek().type == T.OP && peek().text.equals(op);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private void expect(String op, String where) throws SyntaxError {
        if (!isOp(op)) {
            throw error("expected '" + op + "' " + where, peek());
        }
        next++;
    }

    /** The parse of one expression, and whether it is a bare number (what a sign or {@code ±} may apply to). */
    private record Node(Object value, Kind kind) {
    }

    private enum Kind { NUMBER, SIGNED_NUMBER, OTHER }

    private Object expression() throws SyntaxError {
        return sum().value;
    }

    /** {@code a} or {@code a + b} / {@code a - b}: literal_eval allows only real ± imaginary. */
    private Node sum() throws SyntaxError {
        Token first = peek();
        Node left = unary();
        if (!(isOp("+") || isOp("-"))) {
            return left;
        }
        boolean minus = take().text.equals("-");
        Token rightAt = peek();
        Node right = unary();
        if (isOp("+") || isOp("-")) {
            throw error("an operation that is not a literal", peek());
        }
        boolean leftReal = left.kind != Kind.OTHER && (left.value instanceof Long || left.value instanceof BigInteger || left.value instanceof Double);
        if (!leftReal || right.kind != Kind.NUMBER || !(right.value instanceof PyComplex c)) {
            throw error("an operation that is not a literal (only real + imaginary is)", leftReal ? rightAt : first);
        }
        double re = toDouble(left.value);
        return new Node(new PyComplex(minus ? re - c.real() : re + c.real(), minus ? -c.imag() : c.imag()), Kind.OTHER);
    }

    private Node unary() throws SyntaxError {
        if (isOp("+") || isOp("-")) {
            Token sign = take();
            Node operand = unary();
            if (operand.kind != Kind.NUMBER) {
                throw error("a sign on something that is not a number", sign);
            }
            return new Node(sign.text.equals("-") ? negate(operand.value) : operand.value, Kind.SIGNED_NUMBER);
        }
        return atom();
    }

    private Node atom() throws SyntaxError {
        Token t = peek();
        switch (t.type) {
            case NUMBER -> {
                next++;
                return new Node(t.value, Kind.NUMBER);
            }
            case STRING -> {
                next++;
                boolean bytes = t.text.equals("bytes");
                StringBuilder s = new StringBuilder();
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                append(t, s, b);
                while (peek().type == T.STRING) {
                    Token more = take();
                    if (more.text.equals("bytes") != bytes) {
                        throw error("str and bytes literals joined", more);
                    }
                    append(more, s, b);
                }
                return new Node(bytes ? new PyBytes(b.toByteArray()) : s.toString(), Kind.OTHER);
            }
            case NAME -> {
                next++;
                switch (t.text) {
                    case "True" -> {
                        return new Node(Boolean.TRUE, Kind.OTHER);
                    }
                    case "False" -> {
                        return new Node(Boolean.FALSE, Kind.OTHER);
                    }
                    case "None" -> {
                        return new Node(NONE, Kind.OTHER);
                    }
                    case "set" -> {
                        if (isOp("(") && tokens.get(next + 1).type == T.OP && tokens.get(next + 1).text.equals(")")) {
                            next += 2;
                            return new Node(new PySet(List.of()), Kind.OTHER);
                        }
                        throw error("the name 'set' (only set() is a literal)", t);
                    }
                    default -> throw error("the name " + quote(t.text) + " (not a literal)", t);
                }
            }
            case OP -> {
                switch (t.text) {
                    case "..." -> {
                        next++;
                        return new Node(ELLIPSIS, Kind.OTHER);
                    }
                    case "(" -> {
                        next++;
                        if (isOp(")")) {
                            next++;
                            return new Node(new PyTuple(List.of()), Kind.OTHER);
                        }
                        Node first = sum();
                        if (isOp(")")) {
                            next++;
                            return first; // parentheses make no node: (4) is 4, -(4) is -4
                        }
                        List<Object> items = new ArrayList<>(List.of(first.value));
                        items.addAll(sequenceRest(")"));
                        return new Node(new PyTuple(items), Kind.OTHER);
                    }
                    case "[" -> {
                        next++;
                        if (isOp("]")) {
                            next++;
                            return new Node(new ArrayList<>(), Kind.OTHER);
                        }
                        List<Object> items = new ArrayList<>(List.of(expression()));
                        if (!isOp("]")) {
                            items.addAll(sequenceRest("]"));
                        } else {
                            next++;
                        }
                        return new Node(items, Kind.OTHER);
                    }
                    case "{" -> {
                        next++;
                        return new Node(dictOrSet(), Kind.OTHER);
                    }
                    default -> throw error("'" + t.text + "' where a value belongs", t);
                }
            }
            default -> throw error(t.type == T.END ? "the end of the header where a value belongs" : "a line break where a value belongs", t);
        }
    }

    private static void append(Token t, StringBuilder s, java.io.ByteArrayOutputStream b) {
        if (t.value instanceof PyBytes pb) {
            b.writeBytes(pb.bytes());
        } else {
            s.append((String) t.value);
        }
    }

    /** After the first item and before ',' or the closing bracket: the rest of a tuple or list, closing bracket taken. */
    private List<Object> sequenceRest(String close) throws SyntaxError {
        List<Object> items = new ArrayList<>();
        while (true) {
            if (isOp(close)) {
                next++;
                return items;
            }
            expect(",", "or '" + close + "' between items");
            if (isOp(close)) {
                next++;
                return items;
            }
            items.add(expression());
        }
    }

    private Object dictOrSet() throws SyntaxError {
        if (isOp("}")) {
            next++;
            return new PyDict(new LinkedHashMap<>(), new LinkedHashMap<>());
        }
        Token firstAt = peek();
        Object first = expression();
        if (isOp(":")) {
            next++;
            Map<Key, Object> keys = new LinkedHashMap<>();
            Map<Key, Object> values = new LinkedHashMap<>();
            Object value = expression();
            put(keys, values, first, value, firstAt);
            while (true) {
                if (isOp("}")) {
                    next++;
                    return new PyDict(keys, values);
                }
                expect(",", "or '}' between the items of a dict");
                if (isOp("}")) {
                    next++;
                    return new PyDict(keys, values);
                }
                Token keyAt = peek();
                Object k = expression();
                expect(":", "after a dict key");
                put(keys, values, k, expression(), keyAt);
            }
        }
        List<Object> items = new ArrayList<>();
        hashable(first, firstAt);
        items.add(first);
        while (!isOp("}")) {
            expect(",", "or '}' between the items of a set");
            if (isOp("}")) {
                break;
            }
            Token at = peek();
            Object v = expression();
            hashable(v, at);
            items.add(v);
        }
        next++;
        return new PySet(items);
    }

    private void put(Map<Key, Object> keys, Map<Key, Object> values, Object key, Object value, Token at) throws SyntaxError {
        hashable(key, at);
        Key k = Key.of(key);
        keys.putIfAbsent(k, key);
        values.put(k, value);
    }

    /** Lists, dicts and sets cannot be dict keys or set items (Python raises TypeError: unhashable type). */
    private void hashable(Object v, Token at) throws SyntaxError {
        if (v instanceof List<?> || v instanceof PyDict || v instanceof PySet) {
            throw error("an unhashable dict key or set item", at);
        }
        if (v instanceof PyTuple t) {
            for (Object o : t.items()) {
                hashable(o, at);
            }
        }
    }

    private static double toDouble(Object v) {
        return v instanceof Double d ? d : v instanceof Long l ? (double) l : ((BigInteger) v).doubleValue();
    }

    private static Object negate(Object v) {
        if (v instanceof Long l) {
            return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) (-l);
        }
        if (v instanceof BigInteger b) {
            return intValue(b.negate());
        }
        if (v instanceof Double d) {
            return -d;
        }
        PyComplex c = (PyComplex) v;
        return new PyComplex(-c.real(), -c.imag());
    }
}
