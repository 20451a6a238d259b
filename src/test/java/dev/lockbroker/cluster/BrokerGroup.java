package dev.lockbroker.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.BrokerProcess;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Broker processes on one S3Proxy bucket, each behind its own {@link ForwardingS3Proxy} (so a test
 * can cut one broker off from the store while the others still reach it). With {@code legacy} the
 * brokers start without {@code --broker-id}: each one alone on the bucket, as before groups existed,
 * so a checker can be shown to fail on that code.
 */
final class BrokerGroup implements AutoCloseable {
    /** Set to run the same scenarios against brokers that are not a group (the code before issue 10). */
    static final boolean LEGACY = Boolean.getBoolean("lockbroker.cluster.legacy");

    private final S3ProxyServer s3;
    private final List<ForwardingS3Proxy> relays = new ArrayList<>();
    private final List<BrokerProcess> brokers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Path dir;
    private final int ownershipTtlSeconds;

    private BrokerGroup(S3ProxyServer s3, Path dir, int ownershipTtlSeconds) {
        this.s3 = s3;
        this.dir = dir;
        this.ownershipTtlSeconds = ownershipTtlSeconds;
    }

    /** {@code count} brokers, started one after another, each ready (owners known) before the next. */
    static BrokerGroup start(Path dir, int count, int ownershipTtlSeconds) throws IOException, InterruptedException {
        return start(dir, count, ownershipTtlSeconds, false);
    }

    /**
     * {@code count} brokers; with {@code together} all processes are started at once and then awaited
     * ready, so they race for every partition from the start.
     */
    static BrokerGroup start(Path dir, int count, int ownershipTtlSeconds, boolean together)
            throws IOException, InterruptedException {
        BrokerGroup group = new BrokerGroup(S3ProxyServer.start(dir.resolve("s3")), dir, ownershipTtlSeconds);
        try {
            // A cold S3Proxy can miss a broker's first call timeout: warm it up with a patient client.
            dev.lockbroker.store.s3.S3LeaseLog.open(
                            group.s3.settings().withPrefix("warm-up").withCallTimeout(java.time.Duration.ofSeconds(30)),
                            group.s3.credentials())
                    .close();
            for (int i = 0; i < count; i++) {
                group.relays.add(ForwardingS3Proxy.start(group.s3.endpoint()));
            }
            if (together) {
                group.startTogether(count);
            } else {
                for (int i = 0; i < count; i++) {
                    group.brokers.add(group.startBroker(i, 0, 3));
                }
            }
            if (!LEGACY) {
                group.awaitEvenSplit();
            }
            return group;
        } catch (IOException | InterruptedException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    private void startTogether(int count) throws IOException, InterruptedException {
        List<java.util.concurrent.Future<BrokerProcess>> starting = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                starting.add(threads.submit(() -> startBroker(index, 0, 3)));
            }
        }
        IllegalStateException failed = null;
        for (var broker : starting) {
            try {
                brokers.add(broker.get()); // every one that started, so that close() stops it
            } catch (java.util.concurrent.ExecutionException e) {
                failed = failed != null ? failed : new IllegalStateException("a broker did not start", e.getCause());
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Starts broker {@code index} again after it died, under the same id (a new incarnation), on its
     * old port when that is free again, so its clients find it where they left it.
     */
    void restart(int index) throws IOException, InterruptedException {
        int port = url(index).getPort();
        BrokerProcess restarted;
        try {
            restarted = startBroker(index, port, 1);
        } catch (IllegalStateException e) {
            restarted = startBroker(index, 0, 3); // the port was taken meanwhile
        }
        brokers.set(index, restarted);
    }

    /** Starts a broker; one whose start-up store check timed out (a loaded machine) is started again. */
    private BrokerProcess startBroker(int index, int port, int attempts) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startBroker(dir.resolve("b" + index), index, relays.get(index), port);
            } catch (IllegalStateException e) {
                if (attempt >= attempts || !e.getMessage().contains("exited 69")) {
                    throw e;
                }
            }
        }
    }

    private BrokerProcess startBroker(Path dir, int index, ForwardingS3Proxy relay, int port)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--s3-bucket",
                s3.bucket(),
                "--s3-endpoint",
                relay.endpoint().toString(),
                "--s3-path-style",
                "--s3-prefix",
                "group",
                "--s3-call-timeout-millis",
                "3000",
                "--long-poll-seconds",
                "2",
                "--ticket-ttl-seconds",
                "10"));
        if (!LEGACY) {
            args.addAll(List.of(
                    "--broker-id", "b" + index, "--ownership-ttl-seconds", Integer.toString(ownershipTtlSeconds)));
        }
        BrokerProcess broker = BrokerProcess.startWith(dir, args, s3.credentialEnvironment());
        awaitReady(broker);
        return broker;
    }

    private static void awaitReady(BrokerProcess broker) throws InterruptedException {
        ApiClient api = new ApiClient(broker.url().toString()).unvalidated();
        for (int i = 0; i < 200; i++) {
            if (api.get("/readyz").status() == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("broker not ready in 10 s:\n" + broker.output());
    }

    int size() {
        return brokers.size();
    }

    URI url(int index) {
        return brokers.get(index).url();
    }

    BrokerProcess broker(int index) {
        return brokers.get(index);
    }

    ForwardingS3Proxy relay(int index) {
        return relays.get(index);
    }

    /** The index of the broker owning {@code namespace}, as broker {@code asking} sees it; empty when legacy or unknown. */
    Optional<Integer> ownerOf(String namespace, int asking) {
        JsonNode owner = ownerRecord(namespace, asking).path("ownerUrl");
        for (int i = 0; i < brokers.size(); i++) {
            if (owner.asText("").equals(url(i).toString())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * Who owns {@code namespace} and since when ("owner@since"), as broker {@code asking} sees it:
     * two equal answers a while apart mean no owner change in between. Empty when legacy or unknown.
     */
    Optional<String> ownership(String namespace, int asking) {
        JsonNode record = ownerRecord(namespace, asking);
        return record.path("owner").isTextual()
                ? Optional.of(record.path("owner").asText() + "@"
                        + record.path("since").asText())
                : Optional.empty();
    }

    private JsonNode ownerRecord(String namespace, int asking) {
        if (LEGACY) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        ApiClient.Reply reply =
                new ApiClient(url(asking).toString()).unvalidated().get("/v1/cluster");
        if (reply.status() != 200) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return reply.body().path("owners").path(dev.lockbroker.core.Partitions.of(namespace));
    }

    /**
     * Until every broker sees every partition owned, all alike, and no broker owns more than one
     * partition beyond another (at most 60 s): brokers started one after another hand partitions to
     * the later ones, and a test must not begin while they move.
     */
    void awaitEvenSplit() throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            List<String> seen = owners(0);
            boolean agreed = !seen.contains("");
            for (int i = 1; i < brokers.size() && agreed; i++) {
                agreed = seen.equals(owners(i));
            }
            if (agreed) {
                java.util.Map<String, Long> counts = new java.util.HashMap<>();
                brokers.forEach(b -> counts.put(b.url().toString(), 0L));
                seen.forEach(url -> counts.merge(url, 1L, Long::sum));
                long most = java.util.Collections.max(counts.values());
                long least = java.util.Collections.min(counts.values());
                if (most - least <= 1) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the group did not split the partitions evenly in 60 s: " + owners(0));
    }

    /** The owner URL of every partition as broker {@code asking} sees it ("" when vacant). */
    List<String> owners(int asking) {
        ApiClient.Reply reply =
                new ApiClient(url(asking).toString()).unvalidated().get("/v1/cluster");
        List<String> owners = new ArrayList<>();
        reply.body().path("owners").forEach(p -> owners.add(p.path("ownerUrl").asText("")));
        return owners;
    }

    @Override
    public void close() throws InterruptedException {
        for (BrokerProcess broker : brokers) {
            broker.close();
        }
        relays.forEach(ForwardingS3Proxy::close);
        s3.close();
    }
}
