package dev.lockbroker.bench;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.LeaseLogContract;
import dev.lockbroker.store.s3.S3LeaseLog;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Files;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Objects the S3 store leaves in the bucket: per 1,000 grants in one namespace (sequential
 * acquire and release through the core) and per one-off namespace: a main, run by hand on S3Proxy.
 */
public final class S3Footprint {
    private S3Footprint() {}

    public static void main(String[] args) throws Exception {
        int grants = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Holder holder = new Holder("footprint", "host", 1L);
        try (S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("s3-footprint-"));
                S3Client admin = server.adminClient()) {
            try (S3LeaseLog log = server.openLog("one");
                    LockService service = LeaseLogContract.service(log)) {
                for (int i = 0; i < grants; i++) {
                    grantAndRelease(service, new LockKey("busy", null), holder);
                }
            }
            long busy = count(admin, "one/v1/busy/");
            System.out.printf(
                    "one namespace, %d grants: %d objects (%.0f per 1,000 grants)%n",
                    grants, busy, busy * 1000.0 / grants);
            try (S3LeaseLog log = server.openLog("many");
                    LockService service = LeaseLogContract.service(log)) {
                for (int i = 0; i < namespaces; i++) {
                    grantAndRelease(service, new LockKey("run-" + i, null), holder);
                }
            }
            long many = count(admin, "many/v1/");
            System.out.printf(
                    "%d one-off namespaces: %d objects (%.2f per namespace)%n",
                    namespaces, many, (double) many / namespaces);
        }
        System.exit(0);
    }

    private static void grantAndRelease(LockService service, LockKey key, Holder holder) {
        var granted = (AcquireOutcome.Granted)
                service.acquire(new LeaseRequest(key, Mode.EXCLUSIVE, 30_000, 5_000, holder, null), 5_000);
        service.release(granted.lease().leaseId());
    }

    private static long count(S3Client admin, String prefix) {
        return admin.listObjectsV2Paginator(l -> l.bucket(S3ProxyServer.BUCKET).prefix(prefix)).contents().stream()
                .count();
    }
}
