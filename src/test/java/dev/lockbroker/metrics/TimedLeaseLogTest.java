package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.file.FileLeaseLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimedLeaseLogTest {
    private static final String STORE = "lockbroker_store_request_seconds";

    @TempDir
    Path dir;

    /** Every store call takes exactly 3 ms by this clock. */
    private final StepClock clock = new StepClock(3_000_000);

    private final BrokerMetrics metrics = BrokerMetrics.create(10, clock);
    private LeaseLog log;

    @BeforeEach
    void open() {
        log = metrics.wrap(new FileLeaseLog(dir));
    }

    @AfterEach
    void close() {
        log.close();
        metrics.close();
    }

    @Test
    void appends_count_created_and_conflict_and_a_lost_race_is_a_conflict() {
        assertThat(log.append("orders", record(1))).isTrue();
        assertThat(log.append("orders", record(2))).isTrue();
        assertThat(log.append("orders", record(2))).isFalse();
        Scrape s = scrape();
        assertThat(s.value(STORE + "_count", "operation", "append", "outcome", "created"))
                .isEqualTo(2);
        assertThat(s.value(STORE + "_count", "operation", "append", "outcome", "conflict"))
                .isEqualTo(1);
        assertThat(s.value("lockbroker_store_conflicts_total")).isEqualTo(1);
    }

    @Test
    void each_call_is_timed_into_its_bucket() {
        log.append("orders", record(1));
        Scrape s = scrape();
        String[] created = {"operation", "append", "outcome", "created"};
        assertThat(s.value(STORE + "_bucket", and(created, "le", "0.0025"))).isZero();
        assertThat(s.value(STORE + "_bucket", and(created, "le", "0.005"))).isEqualTo(1);
        assertThat(s.value(STORE + "_sum", created)).isEqualTo(0.003);
        assertThat(s.matching(STORE + "_bucket", created).getLast().labels()).containsEntry("le", "+Inf");
        assertThat(s.matching(STORE + "_bucket", created)).hasSize(14);
    }

    @Test
    void latest_after_counts_found_and_empty() {
        log.append("orders", record(1));
        assertThat(log.latestAfter("orders", 0)).isPresent();
        assertThat(log.latestAfter("orders", 1)).isEmpty();
        assertThat(log.latestAfter("nobody", 0)).isEmpty();
        Scrape s = scrape();
        assertThat(s.value(STORE + "_count", "operation", "latest_after", "outcome", "found"))
                .isEqualTo(1);
        assertThat(s.value(STORE + "_count", "operation", "latest_after", "outcome", "empty"))
                .isEqualTo(2);
    }

    @Test
    void store_failures_are_counted_as_errors_and_still_thrown() throws IOException {
        Files.createDirectories(dir.resolve("v1"));
        Files.writeString(dir.resolve("v1").resolve("blocked"), "a file where a namespace directory belongs");
        assertThatThrownBy(() -> log.append("blocked", record(1))).isInstanceOf(StoreUnavailableException.class);

        log.append("torn", record(1));
        Path written = only(dir.resolve("v1").resolve("torn"));
        Files.delete(written);
        Files.createDirectory(written);
        assertThatThrownBy(() -> log.latestAfter("torn", 0)).isInstanceOf(StoreUnavailableException.class);

        log.checkReachable();
        deleteTree(dir);
        assertThatThrownBy(log::checkReachable).isInstanceOf(StoreUnavailableException.class);

        Scrape s = scrape();
        assertThat(s.value(STORE + "_count", "operation", "append", "outcome", "error"))
                .isEqualTo(1);
        assertThat(s.value(STORE + "_count", "operation", "latest_after", "outcome", "error"))
                .isEqualTo(1);
        assertThat(s.value(STORE + "_count", "operation", "check_reachable", "outcome", "ok"))
                .isEqualTo(1);
        assertThat(s.value(STORE + "_count", "operation", "check_reachable", "outcome", "error"))
                .isEqualTo(1);
        assertThat(s.value("lockbroker_store_conflicts_total")).isZero();
    }

    private static LeaseRecord record(long seq) {
        return new LeaseRecord(seq, seq, 1_700_000_000_000L, List.of());
    }

    private Scrape scrape() {
        return Scrape.parse(metrics.scrape());
    }

    private static Path only(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.reduce((a, b) -> {
                        throw new IllegalStateException("more than one file in " + directory);
                    })
                    .orElseThrow();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String[] and(String[] labels, String... more) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }
}
