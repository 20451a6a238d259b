package dev.lockbroker.bench;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.store.s3.S3LeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.InProcessBroker;
import dev.lockbroker.support.S3ProxyServer;
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
import java.util.function.LongSupplier;

/**
 * Broker latency over real HTTP on loopback, against a baseline measured in the same run: the
 * store's own create-only append. Not a test; run by hand:
 *
 * <pre>bin/bench [file|s3proxy] [iterations]</pre>
 */
public final class BrokerBenchmark {
    private static final String JSON_TRY_ONCE =
            "{\"mode\":\"exclusive\",\"ttlSeconds\":30,\"holder\":{\"name\":\"bench\"}}";
    private static final String JSON_WAIT =
            "{\"mode\":\"exclusive\",\"ttlSeconds\":30,\"waitSeconds\":60,\"holder\":{\"name\":\"bench\"}}";

    private BrokerBenchmark() {}

    public static void main(String[] args) throws Exception {
        String store = args.length > 0 ? args[0] : "file";
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path dir = Files.createTempDirectory("lockbroker-bench");
        System.out.printf(
                "store: %s, iterations %d, cores %d%n",
                store, iterations, Runtime.getRuntime().availableProcessors());
        switch (store) {
            case "file" -> run(name -> new FileLeaseLog(dir.resolve(name)), null, iterations);
            case "s3proxy" -> {
                try (S3ProxyServer s3 = S3ProxyServer.start(dir);
                        ForwardingS3Proxy relay = ForwardingS3Proxy.start(s3.endpoint())) {
                    Function<String, LeaseLog> direct =
                            name -> S3LeaseLog.open(s3.settings().withPrefix(name), S3ProxyServer.CREDENTIALS);
                    Function<String, LeaseLog> relayed = name -> S3LeaseLog.open(
                            s3.settings().withEndpoint(relay.endpoint()).withPrefix(name), S3ProxyServer.CREDENTIALS);
                    run(direct, new Counted(relayed, relay::requests), iterations);
                }
            }
            default -> throw new IllegalArgumentException("store must be file or s3proxy");
        }
    }

    /** Stores whose requests are counted on the wire, with the counter. */
    record Counted(Function<String, LeaseLog> open, LongSupplier requests) {}

    /**
     * Measures latency on stores {@code open} makes, and store requests per acquisition on
     * {@code counted} (or on a counting wrapper of {@code open} when null).
     */
    static void run(Function<String, LeaseLog> open, Counted counted, int iterations) throws Exception {
        LeaseLog raw = open.apply("raw");
        Percentiles baseline = rawAppends(raw, iterations);
        raw.close();
        System.out.println("baseline create-only append:   " + baseline.summary());
        try (InProcessBroker broker = new InProcessBroker(open.apply("latency"), 25_000, 50_000)) {
            ApiClient api = new ApiClient(broker.url()).unvalidated();
            uncontended(api, iterations / 4);
            Percentiles roundTrip = uncontended(api, iterations);
            System.out.println("uncontended acquire+release:   " + roundTrip.summary()
                    + String.format("  (%.2f x baseline p50)", roundTrip.millis(50) / baseline.millis(50)));
            for (int clients : new int[] {16, 64}) {
                Contended result = contended(api, "handoff-" + clients, clients, iterations);
                System.out.printf(
                        "handoff at %2d clients:         %s  (%.2f x baseline p50)%n",
                        clients, result.handoff.summary(), result.handoff.millis(50) / baseline.millis(50));
            }
        }
        CountingLeaseLog calls = new CountingLeaseLog(
                counted == null ? open.apply("count") : counted.open().apply("count"));
        LongSupplier requests = counted == null ? calls::total : counted.requests();
        try (InProcessBroker broker = new InProcessBroker(calls, 25_000, 50_000)) {
            ApiClient api = new ApiClient(broker.url()).unvalidated();
            for (int clients : new int[] {1, 16, 64}) {
                long before = requests.getAsLong();
                long writesBefore = calls.appends.get();
                Contended result = contended(api, "count-" + clients, clients, Math.max(200, iterations / 4));
                System.out.printf(
                        "%2d clients: store requests per acquisition %.2f (writes %.2f) over %d grants%n",
                        clients,
                        (requests.getAsLong() - before) / (double) result.grants,
                        (calls.appends.get() - writesBefore) / (double) result.grants,
                        result.grants);
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
    private static Contended contended(ApiClient api, String namespace, int clients, int grantsWanted)
            throws Exception {
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
