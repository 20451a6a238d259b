package dev.lockbroker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockbroker.core.Partitions;
import dev.lockbroker.support.BrokerProcess;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Aggregate grants/s of a group of 1, 2 and 3 broker processes on one S3Proxy, over 1,000
 * namespaces, as a factor of the one-broker figure of the same run; and each broker's ownership
 * requests per minute, counted by the relay between it and the store. Clients send each request to
 * the partition's owner as {@code GET /v1/cluster} shows it, and follow a 307 when that moved. Not a
 * test; run by hand:
 *
 * <pre>bin/bench cluster [seconds per group] [client threads]</pre>
 */
public final class ClusterScaling {
    private static final int NAMESPACES = 1_000;
    private static final String TRY_ONCE = "{\"mode\":\"exclusive\",\"ttlSeconds\":30,\"holder\":{\"name\":\"bench\"}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterScaling() {}

    /** One group's figures. */
    private record Result(
            int brokers, double grantsPerSecond, long redirects, long unavailable, List<String> perBroker) {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path dir = Files.createTempDirectory("lockbroker-cluster-scaling");
        System.out.printf(
                "cores %d, load average at start: %s; %d s per group, %d client threads, %d namespaces%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), seconds, threads, NAMESPACES);
        List<Result> results = new ArrayList<>();
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
            for (int brokers = 1; brokers <= 3; brokers++) {
                results.add(run(s3, dir.resolve("g" + brokers), brokers, seconds, threads));
            }
        }
        double base = results.getFirst().grantsPerSecond();
        System.out.println("| brokers | grants/s | × 1 broker | 307s followed | 503s | per broker |");
        System.out.println("|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf(
                    "| %d | %.1f | %.2f × | %d | %d | %s |%n",
                    r.brokers(),
                    r.grantsPerSecond(),
                    r.grantsPerSecond() / base,
                    r.redirects(),
                    r.unavailable(),
                    String.join("; ", r.perBroker()));
        }
        System.out.println("load average at end: " + loadAverage());
    }

    private static Result run(S3ProxyServer s3, Path dir, int count, int seconds, int threads) throws Exception {
        String prefix = "scale" + count;
        List<ForwardingS3Proxy> relays = new ArrayList<>();
        List<BrokerProcess> brokers = new ArrayList<>();
        ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor();
        try (HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()) {
            List<Future<BrokerProcess>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) { // started together, so they split the partitions if they can
                ForwardingS3Proxy relay = ForwardingS3Proxy.start(s3.endpoint());
                relay.countNaming(prefix + "/cluster/");
                relays.add(relay);
                Path brokerDir = dir.resolve("b" + i);
                String id = "b" + i;
                started.add(starting.submit(() -> start(s3, relay, brokerDir, prefix, id)));
            }
            for (Future<BrokerProcess> f : started) {
                brokers.add(f.get());
            }
            AtomicReferenceArray<String> owners = awaitOwners(http, brokers);
            Load load = new Load(http, owners, threads);
            load.runFor(Duration.ofSeconds(5)); // warm-up
            relays.forEach(ForwardingS3Proxy::resetCounts);
            long[] cpuBefore =
                    brokers.stream().mapToLong(b -> cpuTicks(b.pid())).toArray();
            long grants = load.runFor(Duration.ofSeconds(seconds));
            List<String> perBroker = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ForwardingS3Proxy relay = relays.get(i);
                double minutes = seconds / 60.0;
                long ownership = relay.requestsNaming(prefix + "/cluster/") + relay.requests("POST");
                perBroker.add(String.format(
                        "b%d: %d partitions, %.0f ownership requests/min (%.0f S3 requests/min in all), CPU %.1f s",
                        i,
                        owned(owners, brokers.get(i).url()),
                        ownership / minutes,
                        relay.requests() / minutes,
                        (cpuTicks(brokers.get(i).pid()) - cpuBefore[i]) / 100.0));
            }
            Result result = new Result(
                    count, grants / (double) seconds, load.redirects.get(), load.unavailable.get(), perBroker);
            System.out.printf("%d broker(s): %.1f grants/s; %s%n", count, result.grantsPerSecond(), perBroker);
            return result;
        } finally {
            for (BrokerProcess b : brokers) {
                b.close();
            }
            relays.forEach(ForwardingS3Proxy::close);
            starting.close();
        }
    }

    private static BrokerProcess start(S3ProxyServer s3, ForwardingS3Proxy relay, Path dir, String prefix, String id)
            throws Exception {
        List<String> args = List.of(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--s3-bucket",
                s3.bucket(),
                "--s3-endpoint",
                relay.endpoint().toString(),
                "--s3-path-style",
                "--s3-prefix",
                prefix,
                "--s3-call-timeout-millis",
                "10000",
                "--broker-id",
                id);
        return BrokerProcess.startWith(dir, args, s3.credentialEnvironment());
    }

    /**
     * Every partition's owner URL, once every partition has one and the split is even (no broker
     * owns more than one partition beyond another), at most 120 s.
     */
    private static AtomicReferenceArray<String> awaitOwners(HttpClient http, List<BrokerProcess> brokers)
            throws Exception {
        URI any = brokers.getFirst().url();
        AtomicReferenceArray<String> owners = new AtomicReferenceArray<>(Partitions.COUNT);
        for (int attempt = 0; attempt < 1_200; attempt++) {
            HttpResponse<String> reply = http.send(
                    HttpRequest.newBuilder(any.resolve("/v1/cluster")).build(), HttpResponse.BodyHandlers.ofString());
            int known = 0;
            if (reply.statusCode() == 200) {
                JsonNode list = JSON.readTree(reply.body()).path("owners");
                for (int p = 0; p < Partitions.COUNT; p++) {
                    String url = list.path(p).path("ownerUrl").asText("");
                    String state = list.path(p).path("state").asText("");
                    if (!url.isEmpty() && (state.equals("owned") || state.equals("peer"))) {
                        owners.set(p, url);
                        known++;
                    }
                }
            }
            if (known == Partitions.COUNT && isEven(owners, brokers)) {
                System.out.printf("split after %.1f s%n", attempt / 10.0);
                return owners;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the group did not split the partitions evenly in 120 s");
    }

    private static boolean isEven(AtomicReferenceArray<String> owners, List<BrokerProcess> brokers) {
        int least = Integer.MAX_VALUE;
        int most = 0;
        for (BrokerProcess b : brokers) {
            int n = owned(owners, b.url());
            least = Math.min(least, n);
            most = Math.max(most, n);
        }
        return most - least <= 1;
    }

    private static int owned(AtomicReferenceArray<String> owners, URI broker) {
        int n = 0;
        for (int p = 0; p < owners.length(); p++) {
            n += broker.toString().equals(owners.get(p)) ? 1 : 0;
        }
        return n;
    }

    /** User + system CPU of a process in clock ticks (1/100 s), from /proc. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** Client threads, each cycling acquire + release over its own namespaces (no contention). */
    private static final class Load {
        private final HttpClient http;
        private final AtomicReferenceArray<String> owners;
        private final int threads;
        final AtomicLong redirects = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();

        Load(HttpClient http, AtomicReferenceArray<String> owners, int threads) {
            this.http = http;
            this.owners = owners;
            this.threads = threads;
        }

        /** Runs every thread for {@code duration}; the grants received. */
        long runFor(Duration duration) throws Exception {
            long deadline = System.nanoTime() + duration.toNanos();
            AtomicLong grants = new AtomicLong();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    var unused = pool.submit(() -> {
                        for (int ns = first; System.nanoTime() - deadline < 0; ns = (ns + threads) % NAMESPACES) {
                            if (cycle("n" + ns)) {
                                grants.incrementAndGet();
                            }
                        }
                        return null;
                    });
                }
            }
            return grants.get();
        }

        /** Acquire once and release, at the owner; whether it was granted. */
        private boolean cycle(String ns) throws Exception {
            int p = Partitions.of(ns);
            HttpResponse<String> reply = send(p, "POST", "/v1/namespaces/" + ns + "/leases", TRY_ONCE);
            if (reply.statusCode() != 201) {
                unavailable.incrementAndGet();
                Thread.sleep(20);
                return false;
            }
            String lease = reply.headers().firstValue("Location").orElseThrow();
            send(p, "DELETE", lease, null);
            return true;
        }

        /** To the owner as last known; a 307 is followed (at most 3 hops) and remembered. */
        private HttpResponse<String> send(int partition, String method, String path, String body) throws Exception {
            URI target = URI.create(owners.get(partition)).resolve(path);
            for (int hop = 0; ; hop++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(target)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
                HttpResponse<String> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (reply.statusCode() != 307 || hop == 3) {
                    return reply;
                }
                redirects.incrementAndGet();
                target = target.resolve(reply.headers().firstValue("Location").orElseThrow());
                owners.set(partition, target.resolve("/").toString().replaceAll("/$", ""));
            }
        }
    }
}
