package dev.lockbroker.core;

import java.util.Locale;

/** How a lease shares its key: shared holders coexist, an exclusive holder excludes everyone. */
public enum Mode {
    EXCLUSIVE,
    SHARED;

    public boolean isCompatibleWith(Mode other) {
        return this == SHARED && other == SHARED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String text) {
        if (text == null) {
            throw new InvalidRequestException("mode is required: exclusive or shared");
        }
        return switch (text) {
            case "exclusive" -> EXCLUSIVE;
            case "shared" -> SHARED;
            default -> throw new InvalidRequestException("mode must be exclusive or shared, not '" + text + "'");
        };
    }
}
