package dev.lockbroker.bench;

import dev.lockbroker.support.CephRgw;
import dev.lockbroker.support.S3Backend;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How long {@code S3LeaseLog.open} (bucket check, sequential probe, race probe) takes on S3Proxy and
 * Ceph RGW, against the baseline of one create-only append on the same server in the same run: a
 * main, run by hand; prints medians of {@code runs} of each.
 */
public final class StoreCheckTiming {
    private StoreCheckTiming() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        try (S3ProxyServer proxy = S3ProxyServer.start(Files.createTempDirectory("timing-"))) {
            report(proxy, runs);
        }
        CephRgw.shared()
                .ifPresentOrElse(ceph -> report(ceph, runs), () -> System.out.println(CephRgw.whyUnavailable()));
        System.exit(0);
    }

    private static void report(S3Backend backend, int runs) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            backend.openLog("timing-" + UUID.randomUUID()).close();
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf(
                "%s: open (with the start-up check) median %d ms, min %d, max %d over %d runs%n",
                backend.name(), sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast(), runs);
    }
}
