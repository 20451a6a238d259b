package dev.lockbroker.bench;

import dev.lockbroker.support.BrokerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many queued waiters on one broker process: heap per parked waiter (after a full GC, from the
 * broker's own metrics), platform threads, and an unrelated holder's heartbeat latency before and
 * while they wait (the ratio is the figure). Each waiter polls its ticket again when a long-poll
 * answers still queued, so all stay parked however long the run takes. Run:
 * {@code java -cp target/test-classes:target/classes:<test classpath> dev.lockbroker.bench.ParkedWaitersLoad 10000 100}
 */
public final class ParkedWaitersLoad {
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)");
    private static final Pattern THREADS = Pattern.compile("(?m)^jvm_threads_live_threads(?:\\{[^}]*})? (\\S+)");
    private static final Pattern WAITING = Pattern.compile("\"waiting\":(\\d+)");
    private static final int HEARTBEATS = 300;

    private ParkedWaitersLoad() {}

    public static void main(String[] args) throws Exception {
        int waiters = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path dir = Files.createTempDirectory("parked-load");
        try (ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
                BrokerProcess broker = BrokerProcess.start(dir, 30, 600)) {
            HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
            String base = broker.url().toString();
            for (int n = 0; n < namespaces; n++) {
                send(http, "POST", base + "/v1/namespaces/load-" + n + "/leases", hold("blocker", 3600, 0));
            }
            String probe = leaseId(send(http, "POST", base + "/v1/namespaces/probe/leases", hold("probe", 30, 0)));
            Percentiles idle = heartbeats(http, base, probe);
            double[] before = gcAndMeasure(http, base, broker.pid());

            List<CompletableFuture<?>> parked = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            for (int i = 0; i < waiters; i++) {
                parked.add(http.sendAsync(
                                request(
                                        "POST",
                                        base + "/v1/namespaces/load-" + (i % namespaces) + "/leases",
                                        hold("w" + i, 60, 3600)),
                                HttpResponse.BodyHandlers.discarding())
                        .thenCompose(queued -> repoll(http, base, queued, stop)));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int waiting = 0;
            while (waiting < waiters && System.nanoTime() - deadline < 0) {
                Thread.sleep(200);
                waiting = waiting(send(http, "GET", base + "/v1/namespaces", null));
            }
            Percentiles loaded = heartbeats(http, base, probe);
            double[] after = gcAndMeasure(http, base, broker.pid());

            System.out.printf("parked waiters: %d of %d across %d namespaces%n", waiting, waiters, namespaces);
            System.out.printf(
                    "heap after full GC: %.1f MiB -> %.1f MiB, %.0f B per waiter%n",
                    before[0] / 1048576, after[0] / 1048576, (after[0] - before[0]) / Math.max(1, waiting));
            System.out.printf("broker live threads: %.0f -> %.0f%n", before[1], after[1]);
            System.out.printf(
                    "probe heartbeat p50/p99: idle %.2f/%.2f ms, with waiters %.2f/%.2f ms (p99 ratio %.2f)%n",
                    idle.millis(50),
                    idle.millis(99),
                    loaded.millis(50),
                    loaded.millis(99),
                    loaded.millis(99) / idle.millis(99));
            stop.set(true);
            parked.forEach(p -> p.cancel(true));
            broker.kill();
        }
        System.exit(0);
    }

    /** Polls the ticket again whenever a long-poll answers still queued, as {@code LockClient} does. */
    private static CompletableFuture<?> repoll(
            HttpClient http, String base, HttpResponse<Void> answer, AtomicBoolean stop) {
        if (stop.get() || answer.statusCode() != 202) {
            return CompletableFuture.completedFuture(answer);
        }
        String ticket = answer.headers().firstValue("Location").orElseThrow();
        return http.sendAsync(
                        request("GET", base + ticket + "?waitSeconds=30", null), HttpResponse.BodyHandlers.discarding())
                .thenCompose(next -> repoll(http, base, next, stop));
    }

    private static Percentiles heartbeats(HttpClient http, String base, String leaseId) throws Exception {
        Percentiles latency = new Percentiles();
        for (int i = 0; i < HEARTBEATS; i++) {
            long start = System.nanoTime();
            send(http, "POST", base + "/v1/leases/" + leaseId + "/heartbeat", null);
            latency.add(System.nanoTime() - start);
        }
        return latency;
    }

    /** Heap used after a full GC of the broker (jcmd), and its live threads, from its /metrics. */
    private static double[] gcAndMeasure(HttpClient http, String base, long pid) throws Exception {
        for (int i = 0; i < 2; i++) {
            new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(pid),
                            "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        }
        String metrics = send(http, "GET", base + "/metrics", null);
        double heap = 0;
        for (Matcher m = HEAP.matcher(metrics); m.find(); ) {
            heap += Double.parseDouble(m.group(1));
        }
        Matcher threads = THREADS.matcher(metrics);
        return new double[] {heap, threads.find() ? Double.parseDouble(threads.group(1)) : -1};
    }

    private static int waiting(String namespacesJson) {
        int total = 0;
        for (Matcher m = WAITING.matcher(namespacesJson); m.find(); ) {
            total += Integer.parseInt(m.group(1));
        }
        return total;
    }

    private static String hold(String name, int ttlSeconds, int waitSeconds) {
        return "{\"mode\":\"exclusive\",\"ttlSeconds\":" + ttlSeconds + ",\"waitSeconds\":" + waitSeconds
                + ",\"holder\":{\"name\":\"" + name + "\"}}";
    }

    private static String leaseId(String json) {
        Matcher m = Pattern.compile("\"leaseId\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no lease in " + json);
        }
        return m.group(1);
    }

    private static HttpRequest request(String method, String url, String json) {
        var builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static String send(HttpClient http, String method, String url, String json) throws Exception {
        return http.send(request(method, url, json), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
