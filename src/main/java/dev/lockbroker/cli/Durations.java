package dev.lockbroker.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written on the command line: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}; or {@code 0}. */
public final class Durations {
    private Durations() {}

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    /** Parses {@code text}; IllegalArgumentException names the accepted forms. */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORM.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a duration: write a whole number and ms, s, m or h, like 500ms, 30s, 10m, 1h");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The shortest exact form of {@code d}: {@code 1h}, {@code 90s}, {@code 1500ms}. */
    public static String format(Duration d) {
        if (d.toNanosPart() % 1_000_000 != 0 || d.toMillisPart() != 0) {
            return d.toMillis() + "ms";
        }
        long seconds = d.toSeconds();
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
