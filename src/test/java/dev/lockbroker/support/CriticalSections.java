package dev.lockbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Critical sections recorded by the commands that hold a lock: each appends {@code TAG wall-nanos}
 * lines to one file while it believes it holds the lock, so a test can check that no two overlap.
 */
public final class CriticalSections {
    private final Path log;

    public CriticalSections(Path log) {
        this.log = log;
    }

    /** A shell loop that ticks as {@code tag} every 50 ms until it is stopped. */
    public String forever(String tag) {
        return "while :; do " + tick(tag) + "; sleep 0.05; done";
    }

    /** A shell loop that ticks as {@code tag} {@code count} times, 50 ms apart, then exits 0. */
    public String forTicks(String tag, int count) {
        return "i=0; while [ $i -lt " + count + " ]; do " + tick(tag) + "; sleep 0.05; i=$((i+1)); done";
    }

    private String tick(String tag) {
        return "echo " + tag + " $(date +%s%N) >> " + log;
    }

    public long first(String tag) throws IOException {
        return ticks(tag).stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    public long last(String tag) throws IOException {
        return ticks(tag).stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** Every tick of {@code earlier} comes before every tick of {@code later}. */
    public void assertNoOverlap(String earlier, String later) throws IOException {
        assertThat(last(earlier))
                .as("the last tick of " + earlier + " precedes the first tick of " + later)
                .isLessThan(first(later));
    }

    private List<Long> ticks(String tag) throws IOException {
        return Files.readAllLines(log).stream()
                .map(line -> line.split(" "))
                .filter(parts -> parts.length == 2 && parts[0].equals(tag))
                .map(parts -> Long.parseLong(parts[1]))
                .toList();
    }
}
