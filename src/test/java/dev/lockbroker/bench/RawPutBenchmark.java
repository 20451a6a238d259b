package dev.lockbroker.bench;

import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.store.s3.S3LeaseLog;
import dev.lockbroker.support.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Create-only PUT speed of {@link S3LeaseLog#append} against an in-process S3Proxy: sequential
 * latency percentiles, then creates per second with several concurrent writers, each on its own
 * namespace so every append is one winning PUT. Not a test; run by hand:
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.lockbroker.bench.RawPutBenchmark
 * </pre>
 *
 * Optional arguments: sequential PUT count (2000), PUTs per concurrent run (4000).
 */
public final class RawPutBenchmark {
    private static final int WARM_UP_PUTS = 300;
    private static final int[] WRITER_COUNTS = {1, 8, 32};

    private RawPutBenchmark() {}

    public static void main(String[] args) throws Exception {
        int sequentialPuts = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int concurrentPuts = args.length > 1 ? Integer.parseInt(args[1]) : 4_000;
        Path dataDir = Files.createTempDirectory("lockbroker-bench-");
        try (S3ProxyServer server = S3ProxyServer.start(dataDir);
                S3LeaseLog log = S3LeaseLog.open(server.settings(), S3ProxyServer.CREDENTIALS)) {
            appendRun(log, "warm-up", WARM_UP_PUTS);
            long[] nanos = appendRun(log, "sequential", sequentialPuts);
            printLatency(sequentialPuts, nanos);
            System.out.printf("%n%-8s %8s %10s %12s%n", "writers", "puts", "seconds", "creates/s");
            for (int writers : WRITER_COUNTS) {
                printThroughput(writers, concurrentPuts, concurrentRun(log, writers, concurrentPuts));
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** Appends records 1..count to {@code namespace}; the latency of each append in nanoseconds. */
    private static long[] appendRun(S3LeaseLog log, String namespace, int count) {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            LeaseRecord record = new LeaseRecord(i + 1, i + 1, System.currentTimeMillis(), List.of());
            long started = System.nanoTime();
            if (!log.append(namespace, record)) {
                throw new IllegalStateException("lost a create nobody else raced for: " + namespace + " " + (i + 1));
            }
            nanos[i] = System.nanoTime() - started;
        }
        return nanos;
    }

    /** Wall time in nanoseconds for {@code writers} threads to append {@code totalPuts} records in all. */
    private static long concurrentRun(S3LeaseLog log, int writers, int totalPuts) throws Exception {
        int perWriter = totalPuts / writers;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            long started = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                String namespace = "writers-" + writers + "-" + w;
                runs.add(pool.submit(() -> appendRun(log, namespace, perWriter)));
            }
            for (Future<long[]> run : runs) {
                run.get();
            }
            return System.nanoTime() - started;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void printLatency(int count, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%nsequential create-only PUTs: %d%n", count);
        System.out.printf(Locale.ROOT, "%-6s %9s%n", "", "ms");
        for (double p : new double[] {0.50, 0.90, 0.99, 1.0}) {
            long value = sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
            System.out.printf(Locale.ROOT, "%-6s %9.2f%n", p == 1.0 ? "max" : "p" + Math.round(p * 100), value / 1e6);
        }
    }

    private static void printThroughput(int writers, int totalPuts, long wallNanos) {
        int puts = totalPuts / writers * writers;
        double seconds = wallNanos / 1e9;
        System.out.printf(Locale.ROOT, "%-8d %8d %10.2f %12.0f%n", writers, puts, seconds, puts / seconds);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
