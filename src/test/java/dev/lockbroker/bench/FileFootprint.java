package dev.lockbroker.bench;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.LeaseLogContract;
import dev.lockbroker.store.file.FileLeaseLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The embedded store's footprint after {@code namespaces} one-off namespaces (one grant and release
 * each, through the core), before and after idle namespaces are retired: a main, run by hand.
 * Leases have a 1 s TTL, so they may be retired 2.5 s after their last record.
 */
public final class FileFootprint {
    private FileFootprint() {}

    public static void main(String[] args) throws Exception {
        int namespaces = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        run("without retirement (idle limit one year)", namespaces, Duration.ofDays(365));
        run("with retirement (idle limit 0: lease expiry alone decides)", namespaces, Duration.ZERO);
        System.exit(0);
    }

    private static void run(String label, int namespaces, Duration idle) throws Exception {
        Path dir = Files.createTempDirectory("footprint-");
        try (FileLeaseLog log = new FileLeaseLog(dir, idle);
                LockService service = LeaseLogContract.service(log)) {
            Holder holder = new Holder("footprint", "host", 1L);
            for (int i = 0; i < namespaces; i++) {
                var granted = (AcquireOutcome.Granted) service.acquire(
                        new LeaseRequest(new LockKey("run-" + i, null), Mode.EXCLUSIVE, 1_000, 5_000, holder, null),
                        5_000);
                service.release(granted.lease().leaseId());
            }
            report(label + ", after " + namespaces + " one-off namespaces", dir);
            Thread.sleep(2_600);
            int retired = 0;
            for (int pass = 0; pass <= namespaces / FileLeaseLog.SWEEP_LIMIT + 1; pass++) {
                retired += log.sweep();
            }
            report(label + ", 2.6 s later and a full sweep (" + retired + " retired by it)", dir);
        }
    }

    private static void report(String when, Path dir) throws IOException {
        long files;
        long bytes;
        try (Stream<Path> all = Files.walk(dir)) {
            var list = all.toList();
            files = list.size();
            bytes = 0;
            for (Path p : list) {
                bytes += Files.isDirectory(p) ? 4_096 : Files.size(p);
            }
        }
        System.out.printf(
                "%s: %d files and directories, %d KiB (directories counted as 4 KiB)%n", when, files, bytes / 1024);
    }
}
