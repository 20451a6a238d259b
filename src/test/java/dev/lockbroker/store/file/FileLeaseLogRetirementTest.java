package dev.lockbroker.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.Clock;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LeaseEntry;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.LeaseLogContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store retires idle, empty namespaces: bounded on disk, and tokens never go back. */
class FileLeaseLogRetirementTest {
    private static final Holder HOLDER = new Holder("retire", "host", 1L);

    @TempDir
    Path dir;

    @Test
    void two_thousand_one_off_namespaces_leave_a_bounded_directory() throws IOException {
        try (FileLeaseLog log = new FileLeaseLog(dir, Duration.ZERO)) {
            for (int i = 0; i < 2_000; i++) {
                String ns = "run-" + i;
                assertThat(log.append(ns, new LeaseRecord(1, 1, 0, List.of(lease("l" + i, 1)))))
                        .isTrue();
                assertThat(log.append(ns, new LeaseRecord(2, 1, 0, List.of()))).isTrue();
            }
            for (int pass = 0; pass < 2_000 / FileLeaseLog.SWEEP_LIMIT + 2; pass++) {
                log.sweep();
            }
            assertThat(entriesUnder(dir)).as("files and directories left").isLessThan(20);
        }
    }

    @Test
    void a_namespace_whose_lease_may_still_be_live_is_not_retired() throws IOException {
        try (FileLeaseLog log = new FileLeaseLog(dir, Duration.ZERO)) {
            log.append("held", new LeaseRecord(1, 3, 0, List.of(lease("h", 3))));
            log.sweep();
            assertThat(log.latestAfter("held", 0).orElseThrow().leases()).hasSize(1);
        }
    }

    @Test
    void a_namespace_used_again_after_retirement_issues_larger_tokens() throws IOException {
        LockKey key = new LockKey("reused", "k");
        long before;
        try (FileLeaseLog log = new FileLeaseLog(dir, Duration.ZERO);
                LockService service = LeaseLogContract.service(log)) {
            before = grantAndRelease(service, key);
            grantAndRelease(service, key);
            before = Math.max(before, grantAndRelease(service, key));
            service.close();
            age(dir);
            assertThat(log.sweep()).as("namespaces retired").isEqualTo(1);
        }
        try (FileLeaseLog log = new FileLeaseLog(dir, Duration.ZERO);
                LockService service = LeaseLogContract.service(log)) {
            assertThat(grantAndRelease(service, key)).isGreaterThan(before);
        }
    }

    private static long grantAndRelease(LockService service, LockKey key) {
        var granted = (AcquireOutcome.Granted)
                service.acquire(new LeaseRequest(key, Mode.EXCLUSIVE, 30_000, 5_000, HOLDER, null), 5_000);
        service.release(granted.lease().leaseId());
        return granted.lease().token();
    }

    private static LeaseEntry lease(String id, long token) {
        return new LeaseEntry(id, null, Mode.EXCLUSIVE, token, HOLDER, 30_000, 1, 1);
    }

    /** Dates every record an hour back, as if the namespaces had been idle that long. */
    private static void age(Path root) throws IOException {
        FileTime hourAgo = FileTime.fromMillis(
                Clock.SYSTEM.wallMillis() - Duration.ofHours(1).toMillis());
        try (Stream<Path> all = Files.walk(root.resolve("v1"))) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, hourAgo);
            }
        }
    }

    static long entriesUnder(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root.resolve("v1"))) {
            return all.count();
        }
    }
}
