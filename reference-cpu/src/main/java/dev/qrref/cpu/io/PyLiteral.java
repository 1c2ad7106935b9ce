package dev.qrref.cpu.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser for the tiny subset of Python literal syntax a {@code .npy} header uses: a dict with string keys whose values
 * are strings, {@code True}/{@code False}/{@code None}, integers, tuples and lists. NumPy reads the header with
 * {@code ast.literal_eval}; anything outside this subset is a malformed header here.
 *
 * <p>Values come back as {@link String}, {@link Boolean}, {@link Long}, {@link PyTuple}, {@link List} or {@link #NONE}.
 */
final class PyLiteral {
    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A Python tuple, kept apart from lists because {@code shape} must be a tuple. */
    record PyTuple(List<Object> items) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(repr(items.get(i)));
            }
            return s.append(items.size() == 1 ? ",)" : ")").toString();
        }
    }

    /** Thrown with a message that says what was expected where. */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private PyLiteral(String text) {
        this.text = text;
    }

    /**
     * Parses {@code text} as one dict literal followed only by blanks; returns the entries in file order. Duplicate keys
     * are an error (Python would silently keep the last one, which hides a broken writer).
     */
    static Map<String, Object> parseDict(String text) throws SyntaxError {
        PyLiteral p = new PyLiteral(text);
        p.skipBlanks();
        if (!p.peek('{')) {
            throw p.error("expected '{' at the start of the header dict");
        }
        Object value = p.value();
        p.skipBlanks();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the header dict");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> dict = (Map<String, Object>) value;
        return dict;
    }

    /** Python-style rendering, used to quote values back in error messages. */
    static String repr(Object v) {
        if (v instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof List<?> list) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(repr(list.get(i)));
            }
            return s.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                s.append(first ? "" : ", ").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                first = false;
            }
            return s.append('}').toString();
        }
        return String.valueOf(v);
    }

    private SyntaxError error(String what) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return new SyntaxError(what + " (at character " + pos + " of " + shown.strip() + ")");
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void expect(char c) throws SyntaxError {
        skipBlanks();
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private Object value() throws SyntaxError {
        skipBlanks();
        if (pos >= text.length()) {
            throw error("unexpected end of header");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict();
            case '(' -> new PyTuple(sequence('(', ')'));
            case '[' -> sequence('[', ']');
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || Character.isDigit(c)) {
                    yield integer();
                }
                if (Character.isLetter(c)) {
                    yield name();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> dict() throws SyntaxError {
        pos++; // '{'
        Map<String, Object> out = new LinkedHashMap<>();
        while (true) {
            skipBlanks();
            if (peek('}')) {
                pos++;
                return out;
            }
            int keyAt = pos;
            Object key = value();
            if (!(key instanceof String k)) {
                pos = keyAt;
                throw error("header dict keys must be strings, found " + repr(key));
            }
            expect(':');
            Object v = value();
            if (out.containsKey(k)) {
                pos = keyAt;
                throw error("duplicate key " + repr(k));
            }
            out.put(k, v);
            skipBlanks();
            if (peek(',')) {
                pos++;
            } else if (!peek('}')) {
                throw error("expected ',' or '}' in the header dict");
            }
        }
    }

    private List<Object> sequence(char open, char close) throws SyntaxError {
        pos++; // open
        List<Object> items = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (peek(close)) {
                pos++;
                return items;
            }
            items.add(value());
            skipBlanks();
            if (peek(',')) {
                pos++;
            } else if (!peek(close)) {
                throw error("expected ',' or '" + close + "' after an item of '" + open + "...'");
            }
        }
    }

    private String string() throws SyntaxError {
        char quote = text.charAt(pos++);
        StringBuilder s = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return s.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '\\', '\'', '"' -> s.append(e);
                    default -> throw error("unsupported escape '\\" + e + "' in a string");
                }
            } else if (c == '\n') {
                break;
            } else {
                s.append(c);
            }
        }
        throw error("unterminated string");
    }

    private Long integer() throws SyntaxError {
        int start = pos;
        if (peek('-') || peek('+')) {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == digits) {
            throw error("expected digits");
        }
        String literal = text.substring(start, pos);
        // Python 2 era writers put an L after shape entries: (10L,)
        if (peek('L')) {
            pos++;
        }
        try {
            return Long.parseLong(literal.startsWith("+") ? literal.substring(1) : literal);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer " + literal + " is out of range");
        }
    }

    private Object name() throws SyntaxError {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String name = text.substring(start, pos);
        return switch (name) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> NONE;
            default -> {
                pos = start;
                throw error("unknown name '" + name + "'");
            }
        };
    }
}
