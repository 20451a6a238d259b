package dev.lockbroker.bench;

import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.store.s3.S3LeaseLog;
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
        List<Long> opens = new ArrayList<>();
        List<Long> appends = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try (S3LeaseLog log = backend.openLog("timing-" + UUID.randomUUID())) {
                opens.add(System.nanoTime() - start);
                long appendStart = System.nanoTime();
                log.append("ns", new LeaseRecord(1, 1, 0, List.of()));
                appends.add(System.nanoTime() - appendStart);
            }
        }
        long open = median(opens);
        long append = median(appends);
        System.out.printf(
                "%s: open with the start-up check median %.0f ms; one create-only append %.1f ms; ratio %.0fx (%d runs)%n",
                backend.name(), open / 1e6, append / 1e6, (double) open / append, runs);
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
