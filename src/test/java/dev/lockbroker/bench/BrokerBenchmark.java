package dev.lockbroker.bench;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.InProcessBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Broker latency over real HTTP on loopback, against a baseline measured in the same run: the
 * store's own create-only append. Not a test; run by hand:
 *
 * <pre>bin/bench [file] [iterations]</pre>
 */
public final class BrokerBenchmark {
    private static final String JSON_TRY_ONCE = "{\"mode\":\"exclusive\",\"ttlSeconds\":30,\"holder\":{\"name\":\"bench\"}}";
    private static final String JSON_WAIT = "{\"mode\":\"exclusive\",\"ttlSeconds\":30,\"waitSeconds\":60,\"holder\":{\"name\":\"bench\"}}";

    private BrokerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path dir = Files.createTempDirectory("lockbroker-bench");
        System.out.printf("store: on-disk (%s), iterations %d, cores %d%n", dir, iterations, Runtime.getRuntime().availableProcessors());
        run(path -> new FileLeaseLog(path), dir, iterations, new int[] {1, 16, 64});
    }

    /** Runs every scenario on stores that {@code openStore} makes in fresh sub-directories of {@code dir}. */
    static void run(Function<Path, LeaseLog> openStore, Path dir, int iterations, int[] contention) throws Exception {
        LeaseLog raw = openStore.apply(dir.resolve("raw"));
        Percentiles baseline = rawAppends(raw, iterations);
        raw.close();
        System.out.println("baseline create-only append:   " + baseline.summary());

        CountingLeaseLog counted = new CountingLeaseLog(openStore.apply(dir.resolve("broker")));
        try (InProcessBroker broker = new InProcessBroker(counted, 25_000, 50_000)) {
            ApiClient api = new ApiClient(broker.url()).unvalidated();
            uncontended(api, iterations / 4);
            Percentiles roundTrip = uncontended(api, iterations);
            System.out.println("uncontended acquire+release:   " + roundTrip.summary()
                    + String.format("  (%.2f x baseline p50)", roundTrip.millis(50) / baseline.millis(50)));
            for (int clients : contention) {
                long before = counted.total();
                long writesBefore = counted.appends.get();
                Contended result = contended(api, "contended-" + clients, clients, iterations);
                System.out.printf("%2d clients: handoff %s  (%.2f x baseline p50); store requests/acquisition %.2f (writes %.2f)%n",
                        clients, result.handoff.summary(), result.handoff.millis(50) / baseline.millis(50),
                        (counted.total() - before) / (double) result.grants, (counted.appends.get() - writesBefore) / (double) result.grants);
            }
        }
    }

    private static Percentiles rawAppends(LeaseLog log, int iterations) {
        Percentiles p = new Percentiles();
        for (long seq = 1; seq <= iterations; seq++) {
            long start = System.nanoTime();
            log.append("baseline", new LeaseRecord(seq, seq, System.currentTimeMillis(), List.of()));
            p.add(System.nanoTime() - start);
        }
        return p;
    }

    private static Percentiles uncontended(ApiClient api, int iterations) {
        Percentiles p = new Percentiles();
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            var lease = api.acquire("uncontended", JSON_TRY_ONCE);
            api.delete(lease.location());
            p.add(System.nanoTime() - start);
        }
        return p;
    }

    private record Contended(Percentiles handoff, long grants) {}

    /**
     * {@code clients} loop acquire, release on one key; a handoff is the time from a holder sending
     * its release to the next holder receiving its grant. Bounded by count and by 60 s.
     */
    private static Contended contended(ApiClient api, String namespace, int clients, int grantsWanted) throws Exception {
        Percentiles handoff = new Percentiles();
        AtomicLong releaseSentAt = new AtomicLong();
        AtomicLong grants = new AtomicLong();
        long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    while (grants.get() < grantsWanted && System.nanoTime() < stopAt) {
                        var reply = api.acquire(namespace, JSON_WAIT);
                        while (reply.status() == 202) {
                            reply = api.get(reply.location() + "?waitSeconds=25");
                        }
                        long sent = releaseSentAt.get();
                        if (sent != 0) {
                            handoff.add(System.nanoTime() - sent);
                        }
                        grants.incrementAndGet();
                        releaseSentAt.set(System.nanoTime());
                        api.delete("/v1/leases/" + reply.text("leaseId"));
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        return new Contended(handoff, grants.get());
    }
}
