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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap per waiter that long-polls its ticket as {@code LockClient} does (a POST answered 202 at once,
 * then GET re-polls on the same kept-alive connection, one connection per waiter), by class: a
 * {@code jcmd <pid> GC.class_histogram} (a full GC first) of the broker before and while they wait.
 * {@link ParkedWaitersLoad}'s waiters park on their first request, which misses what a connection
 * builds for its second. Run:
 * {@code java -cp target/test-classes:target/classes:<test classpath> dev.lockbroker.bench.RepollingWaitersHeap 1000}
 */
public final class RepollingWaitersHeap {
    private static final Pattern ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final int NAMESPACES = 10;

    private RepollingWaitersHeap() {}

    public static void main(String[] args) throws Exception {
        int waiters = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Path dir = Files.createTempDirectory("repolling-heap");
        try (BrokerProcess broker = BrokerProcess.start(dir, 30, 120);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            String base = broker.url().toString();
            HttpClient setup = HttpClient.newHttpClient();
            for (int n = 0; n < NAMESPACES; n++) {
                send(setup, "POST", base + "/v1/namespaces/heap-" + n + "/leases", body("blocker", 0));
            }
            Map<String, long[]> before = histogram(broker.pid());
            AtomicInteger polling = new AtomicInteger();
            long stopAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            for (int i = 0; i < waiters; i++) {
                int w = i;
                threads.submit(() -> repoll(base, w, polling, stopAt));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (polling.get() < waiters && System.nanoTime() - deadline < 0) {
                Thread.sleep(200);
            }
            Thread.sleep(5_000); // every waiter into its GET long-poll
            Map<String, long[]> parked = histogram(broker.pid());
            report(before, parked, polling.get());
            threads.shutdownNow();
        }
    }

    private static Void repoll(String base, int w, AtomicInteger polling, long stopAt) throws Exception {
        HttpClient own = HttpClient.newHttpClient(); // a connection of its own, as separate clients have
        var queued =
                send(own, "POST", base + "/v1/namespaces/heap-" + (w % NAMESPACES) + "/leases", body("w" + w, 3600));
        String ticket = queued.headers().firstValue("Location").orElseThrow();
        polling.incrementAndGet();
        while (System.nanoTime() - stopAt < 0) {
            send(own, "GET", base + ticket + "?waitSeconds=30", null);
        }
        return null;
    }

    private static void report(Map<String, long[]> before, Map<String, long[]> parked, int waiters) {
        List<Map.Entry<String, Long>> perClass = new ArrayList<>();
        long total = 0;
        for (var entry : parked.entrySet()) {
            long delta = entry.getValue()[1] - before.getOrDefault(entry.getKey(), new long[2])[1];
            total += delta;
            perClass.add(Map.entry(entry.getKey(), delta));
        }
        perClass.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        System.out.printf("%d re-polling waiters: %.0f bytes of heap each%n", waiters, total / (double) waiters);
        perClass.stream()
                .limit(12)
                .forEach(e -> System.out.printf("  %8.0f B  %s%n", e.getValue() / (double) waiters, e.getKey()));
    }

    /** Instances and bytes by class, after the full GC the histogram starts with. */
    private static Map<String, long[]> histogram(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        Map<String, long[]> rows = new HashMap<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            rows.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        return rows;
    }

    private static String body(String name, int waitSeconds) {
        return "{\"mode\":\"exclusive\",\"ttlSeconds\":3600,\"waitSeconds\":" + waitSeconds
                + ",\"replyWithinMillis\":0,\"holder\":{\"name\":\"" + name + "\"}}";
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
