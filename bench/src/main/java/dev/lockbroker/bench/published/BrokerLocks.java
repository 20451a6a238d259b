package dev.lockbroker.bench.published;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** lockbroker over its REST API with the JDK's HttpClient: one namespace per key, whole-namespace exclusive. */
final class BrokerLocks implements LockSystem {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_POLL_SECONDS = 25;

    private final URI base;
    private final long ttlSeconds;
    private final Map<Integer, HttpClient> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "broker-heartbeats");
        t.setDaemon(true);
        return t;
    });

    BrokerLocks(URI base, long ttlMillis) {
        this.base = base;
        this.ttlSeconds = Math.max(1, ttlMillis / 1000);
    }

    @Override
    public Locker locker(int connection) {
        HttpClient http = clients.computeIfAbsent(
                connection,
                c -> HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build());
        return new BrokerLocker(http);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        clients.values().forEach(HttpClient::close);
    }

    private final class BrokerLocker implements Locker {
        private final HttpClient http;
        private String leaseId;
        private ScheduledFuture<?> heartbeat;

        BrokerLocker(HttpClient http) {
            this.http = http;
        }

        @Override
        public boolean acquire(String key, long deadlineNanos) throws IOException, InterruptedException {
            long waitSeconds = secondsUntil(deadlineNanos);
            String body = "{\"mode\":\"exclusive\",\"ttlSeconds\":" + ttlSeconds + ",\"waitSeconds\":" + waitSeconds
                    + ",\"holder\":{\"name\":\"bench\"}}";
            HttpResponse<String> reply = send(HttpRequest.newBuilder(base.resolve("/v1/namespaces/" + key + "/leases"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            // Queued past the long-poll window: poll the ticket while the deadline lasts (bounded by it).
            while (reply.statusCode() == 202 && System.nanoTime() - deadlineNanos < 0) {
                String ticket = reply.headers().firstValue("Location").orElseThrow();
                long poll = Math.min(MAX_POLL_SECONDS, secondsUntil(deadlineNanos));
                reply = send(HttpRequest.newBuilder(base.resolve(ticket + "?waitSeconds=" + poll))
                        .GET());
            }
            return switch (reply.statusCode()) {
                case 200, 201 -> held(JSON.readTree(reply.body()));
                case 202, 409 -> false;
                default -> throw new IOException("acquire answered " + reply.statusCode() + ": " + reply.body());
            };
        }

        private boolean held(JsonNode lease) {
            leaseId = lease.get("leaseId").asText();
            String id = leaseId;
            long every = Math.max(1, ttlSeconds * 1000 / 3);
            heartbeat = heartbeats.scheduleAtFixedRate(() -> beat(id), every, every, TimeUnit.MILLISECONDS);
            return true;
        }

        private void beat(String id) {
            try {
                send(HttpRequest.newBuilder(base.resolve("/v1/leases/" + id + "/heartbeat"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
            } catch (IOException e) {
                // the lease runs out by itself; the next release answers 410
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void release() throws IOException, InterruptedException {
            heartbeat.cancel(false);
            HttpResponse<String> reply = send(HttpRequest.newBuilder(base.resolve("/v1/leases/" + leaseId))
                    .DELETE());
            if (reply.statusCode() != 204 && reply.statusCode() != 410) {
                throw new IOException("release answered " + reply.statusCode() + ": " + reply.body());
            }
            leaseId = null;
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Whole seconds left until the deadline, rounded up (the API counts in seconds), 0 when past. */
    private static long secondsUntil(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? 0 : Math.min(3600, (left + 999_999_999L) / 1_000_000_000L);
    }
}
