package dev.lockbroker.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text (RFC 8259) into a {@link JsonValue}: strict about syntax, nesting at most
 * {@value #MAX_DEPTH} deep (as Jackson's default), a repeated field keeps its last value. Not thread-safe.
 */
final class JsonReader {
    static final int MAX_DEPTH = 1000;

    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    /** The value {@code text} holds; IllegalArgumentException saying where it is malformed. */
    static JsonValue read(String text) {
        JsonReader reader = new JsonReader(text);
        JsonValue value = reader.value(0);
        reader.skipSpace();
        if (reader.at != text.length()) {
            throw reader.malformed("text after the value");
        }
        return value;
    }

    private JsonValue value(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("nested deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (at >= text.length()) {
            throw malformed("end of text where a value was expected");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> JsonValue.string(string());
            case 't' -> literal("true", JsonValue.TRUE);
            case 'f' -> literal("false", JsonValue.FALSE);
            case 'n' -> literal("null", JsonValue.NULL);
            default -> number();
        };
    }

    private JsonValue object(int depth) {
        at++;
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            at++;
            return JsonValue.object(fields);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw malformed("a field name was expected");
            }
            String name = string();
            skipSpace();
            expect(':');
            fields.put(name, value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                at++;
            } else {
                expect('}');
                return JsonValue.object(fields);
            }
        }
    }

    private JsonValue array(int depth) {
        at++;
        List<JsonValue> elements = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            at++;
            return JsonValue.array(elements);
        }
        while (true) {
            elements.add(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                at++;
            } else {
                expect(']');
                return JsonValue.array(elements);
            }
        }
    }

    private String string() {
        at++; // the opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw malformed("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw malformed("a control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw malformed("unterminated escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw malformed("bad escape \\" + e);
            }
        }
    }

    private char unicodeEscape() {
        if (at + 4 > text.length()) {
            throw malformed("short \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at++), 16);
            if (digit < 0) {
                throw malformed("bad \\u escape");
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }

    private JsonValue number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (!digits()) {
            throw malformed("a value was expected");
        }
        if (peek() == '.') {
            at++;
            if (!digits()) {
                throw malformed("digits after the decimal point were expected");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!digits()) {
                throw malformed("exponent digits were expected");
            }
        }
        return JsonValue.numberText(text.substring(start, at));
    }

    /** Skips one or more digits; false when there was none. */
    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    private JsonValue literal(String word, JsonValue value) {
        if (!text.startsWith(word, at)) {
            throw malformed("a value was expected");
        }
        at += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw malformed("'" + c + "' was expected");
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("malformed JSON at offset " + at + ": " + what);
    }
}
