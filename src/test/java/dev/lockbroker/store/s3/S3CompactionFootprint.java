package dev.lockbroker.store.s3;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.LeaseLogContract;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Objects left in the bucket and S3 requests per grant, without compaction and with it, in one
 * run on S3Proxy behind a counting relay: {@code grants} sequential grants and releases in one
 * namespace, one grant in each of {@code namespaces} one-off namespaces, and {@code namespaces}/10
 * namespaces taking turns for 10 grants each. "before" is the store with no compaction and no seal
 * check, which sends exactly the requests the store sent before generations existed; "after" is
 * the default compaction; "retire" the same with namespaces retired 30 s after their last use (the
 * default is 15 minutes), waiting until they are. A main, run by hand.
 */
public final class S3CompactionFootprint {
    private static final Holder HOLDER = new Holder("footprint", "host", 1L);
    /** Short, so the run sees retirement; a lease of 30 s is past reach 48 s after its record anyway. */
    private static final Duration RETIRE_AFTER = Duration.ofSeconds(30);
    /** How long the "retire" run waits for the last namespaces to be retired and deleted. */
    private static final Duration RETIRE_WAIT = Duration.ofMinutes(3);

    private S3CompactionFootprint() {}

    public static void main(String[] args) throws Exception {
        int grants = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        try (S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("s3-compaction-footprint-"));
                ForwardingS3Proxy relay = ForwardingS3Proxy.start(server.endpoint());
                S3Client admin = server.adminClient()) {
            var configs = new Object[][] {
                {"before", CompactionSettings.NEVER.withoutSealChecks()},
                {"after", CompactionSettings.DEFAULTS},
                {"retire", CompactionSettings.DEFAULTS.withRetireAfter(RETIRE_AFTER)}
            };
            for (Object[] config : configs) {
                String name = (String) config[0];
                CompactionSettings compaction = (CompactionSettings) config[1];
                Run run = new Run(server, relay, admin, name, compaction);
                run.measure("one namespace", grants, i -> "busy");
                run.measure("one-off namespaces", namespaces, i -> "run-" + i);
                run.measure("namespaces taking turns", namespaces, i -> "turn-" + (i % (namespaces / 10)));
            }
        }
        System.exit(0);
    }

    private record Run(
            S3ProxyServer server, ForwardingS3Proxy relay, S3Client admin, String name, CompactionSettings compaction) {
        void measure(String scenario, int count, IntFunction<String> namespaceOf) {
            String prefix = name + "-" + scenario.replace(' ', '-');
            var settings = server.settings()
                    .withEndpoint(relay.endpoint())
                    .withPrefix(prefix)
                    .withCallTimeout(Duration.ofSeconds(30));
            long objectsAtEnd;
            long started = System.nanoTime();
            try (S3LeaseLog log = S3LeaseLog.open(settings, S3ProxyServer.CREDENTIALS, compaction);
                    LockService service = LeaseLogContract.service(log)) {
                relay.resetCounts();
                for (int i = 0; i < count; i++) {
                    grantAndRelease(service, new LockKey(namespaceOf.apply(i), null));
                }
                objectsAtEnd = objects(prefix);
                log.awaitCompactions(Duration.ofMinutes(3));
                if (compaction.retireAfter().equals(RETIRE_AFTER)) {
                    awaitRetirement(prefix, log);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "%-6s %-24s %6d grants: %.3f requests/grant (PUT %.3f GET+LIST %.3f HEAD %.3f, DeleteObjects %d),"
                            + " objects %d at the end, %d after deletions (%.1f per 1,000 grants), %.0f s%n",
                    name,
                    scenario,
                    count,
                    (double) relay.requests() / count,
                    (double) relay.requests("PUT") / count,
                    (double) relay.requests("GET") / count,
                    (double) relay.requests("HEAD") / count,
                    relay.requests("POST"),
                    objectsAtEnd,
                    objects(prefix),
                    objects(prefix) * 1000.0 / count,
                    seconds);
        }

        /** Waits until only retirement markers are left (or {@link #RETIRE_WAIT} passes). */
        private void awaitRetirement(String prefix, S3LeaseLog log) {
            long deadline = System.nanoTime() + RETIRE_WAIT.toNanos();
            while (objects(prefix + "/v1") > 0 && System.nanoTime() - deadline < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
            }
            log.awaitCompactions(Duration.ofMinutes(1));
        }

        private long objects(String prefix) {
            return admin
                    .listObjectsV2Paginator(l -> l.bucket(S3ProxyServer.BUCKET).prefix(prefix + "/"))
                    .contents()
                    .stream()
                    .count();
        }
    }

    private static void grantAndRelease(LockService service, LockKey key) {
        var granted = (AcquireOutcome.Granted)
                service.acquire(new LeaseRequest(key, Mode.EXCLUSIVE, 30_000, 5_000, HOLDER, null), 5_000);
        service.release(granted.lease().leaseId());
    }
}
