package dev.lockbroker.client;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value as the client reads and writes the broker's JSON: the small part of Jackson's tree
 * model it used, with the same lenient accessors ({@code path} of anything absent is {@link #MISSING},
 * whose text is {@code ""} and whose number is 0), written compactly or as Jackson's default pretty
 * printer does. Loading Jackson was the largest part of a short command's start-up. Immutable.
 */
final class JsonValue implements Iterable<JsonValue> {
    enum Kind {
        MISSING,
        NULL,
        BOOLEAN,
        NUMBER,
        STRING,
        ARRAY,
        OBJECT
    }

    static final JsonValue MISSING = new JsonValue(Kind.MISSING, null);
    static final JsonValue NULL = new JsonValue(Kind.NULL, null);
    static final JsonValue TRUE = new JsonValue(Kind.BOOLEAN, true);
    static final JsonValue FALSE = new JsonValue(Kind.BOOLEAN, false);

    private final Kind kind;
    /** Boolean; the number's text as written; String; List of values; Map of fields in order. */
    private final Object value;

    private JsonValue(Kind kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    static JsonValue string(String text) {
        return text == null ? NULL : new JsonValue(Kind.STRING, text);
    }

    static JsonValue number(long number) {
        return new JsonValue(Kind.NUMBER, Long.toString(number));
    }

    /** A number as written in JSON text (already checked to be one). */
    static JsonValue numberText(String text) {
        return new JsonValue(Kind.NUMBER, text);
    }

    static JsonValue array(List<JsonValue> elements) {
        return new JsonValue(Kind.ARRAY, List.copyOf(elements));
    }

    /** An object of {@code fields} in their order; a null value is JSON null. */
    static JsonValue object(Map<String, JsonValue> fields) {
        Map<String, JsonValue> copy = new LinkedHashMap<>();
        fields.forEach((name, v) -> copy.put(name, v == null ? NULL : v));
        return new JsonValue(Kind.OBJECT, Collections.unmodifiableMap(copy));
    }

    Kind kind() {
        return kind;
    }

    /** The field {@code name} of an object; {@link #MISSING} for anything else. */
    JsonValue path(String name) {
        return kind == Kind.OBJECT ? fields().getOrDefault(name, MISSING) : MISSING;
    }

    boolean isTextual() {
        return kind == Kind.STRING;
    }

    boolean isNumber() {
        return kind == Kind.NUMBER;
    }

    boolean isMissing() {
        return kind == Kind.MISSING;
    }

    /** As Jackson's {@code asText()}: a string's text, a number or boolean as text, "null", else "". */
    String asText() {
        return switch (kind) {
            case STRING, NUMBER -> (String) value;
            case BOOLEAN -> value.toString();
            case NULL -> "null";
            default -> "";
        };
    }

    /** {@link #asText()}, or {@code fallback} when missing or null. */
    String asText(String fallback) {
        return kind == Kind.MISSING || kind == Kind.NULL ? fallback : asText();
    }

    /** A number (truncated), a string that is one, a boolean as 1 or 0; else 0. */
    long asLong() {
        return switch (kind) {
            case NUMBER, STRING -> parseLong(((String) value).strip());
            case BOOLEAN -> (Boolean) value ? 1 : 0;
            default -> 0;
        };
    }

    int asInt() {
        return (int) asLong();
    }

    /** A number, a string that is one, a boolean as 1 or 0; else 0. */
    double asDouble() {
        return switch (kind) {
            case NUMBER, STRING -> parseDouble(((String) value).strip());
            case BOOLEAN -> (Boolean) value ? 1 : 0;
            default -> 0;
        };
    }

    /** A boolean; a string "true"; a whole number other than 0 (as Jackson, not a fraction); else false. */
    boolean asBoolean() {
        return switch (kind) {
            case BOOLEAN -> (Boolean) value;
            case STRING -> "true".equals(((String) value).strip());
            case NUMBER -> isWhole((String) value) && asLong() != 0;
            default -> false;
        };
    }

    /** The elements of an array, the field values of an object; else none. */
    @Override
    public Iterator<JsonValue> iterator() {
        return switch (kind) {
            case ARRAY -> elements().iterator();
            case OBJECT -> fields().values().iterator();
            default -> Collections.emptyIterator();
        };
    }

    /** Compact JSON text, as Jackson writes it. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        write(out, -1);
        return out.toString();
    }

    /** JSON text as Jackson's default pretty printer lays it out ({@code "a" : 1}, {@code [ 1, 2 ]}). */
    String pretty() {
        StringBuilder out = new StringBuilder();
        write(out, 0);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private List<JsonValue> elements() {
        return (List<JsonValue>) value;
    }

    @SuppressWarnings("unchecked")
    private Map<String, JsonValue> fields() {
        return (Map<String, JsonValue>) value;
    }

    /** Writes this value; {@code depth} is the number of enclosing objects when pretty, -1 when compact. */
    private void write(StringBuilder out, int depth) {
        boolean pretty = depth >= 0;
        switch (kind) {
            case STRING -> quote(out, (String) value);
            case NUMBER, BOOLEAN -> out.append(value);
            case NULL, MISSING -> out.append("null");
            case ARRAY -> {
                out.append('[');
                String separator = pretty ? " " : "";
                for (JsonValue element : elements()) {
                    out.append(separator);
                    element.write(out, depth);
                    separator = pretty ? ", " : ",";
                }
                out.append(pretty ? " ]" : "]");
            }
            case OBJECT -> {
                out.append('{');
                String separator = "";
                for (Map.Entry<String, JsonValue> field : fields().entrySet()) {
                    out.append(separator);
                    if (pretty) {
                        newline(out, depth + 1);
                    }
                    quote(out, field.getKey());
                    out.append(pretty ? " : " : ":");
                    field.getValue().write(out, pretty ? depth + 1 : -1);
                    separator = ",";
                }
                if (pretty) {
                    if (fields().isEmpty()) {
                        out.append(' ');
                    } else {
                        newline(out, depth);
                    }
                }
                out.append('}');
            }
        }
    }

    private static void newline(StringBuilder out, int depth) {
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** As Jackson escapes: quote, backslash, and control characters (short forms where JSON has them). */
    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isWhole(String number) {
        return number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0;
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return (long) parseDouble(text);
        }
    }

    private static double parseDouble(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
