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
    private final List<BrokerProcess> brokers = new ArrayList<>();
    private final int ownershipTtlSeconds;

    private BrokerGroup(S3ProxyServer s3, int ownershipTtlSeconds) {
        this.s3 = s3;
        this.ownershipTtlSeconds = ownershipTtlSeconds;
    }

    /** {@code count} brokers, started one after another, each ready (owners known) before the next. */
    static BrokerGroup start(Path dir, int count, int ownershipTtlSeconds) throws IOException, InterruptedException {
        BrokerGroup group = new BrokerGroup(S3ProxyServer.start(dir.resolve("s3")), ownershipTtlSeconds);
        try {
            // A cold S3Proxy can miss a broker's first call timeout: warm it up with a patient client.
            dev.lockbroker.store.s3.S3LeaseLog.open(
                            group.s3.settings().withPrefix("warm-up").withCallTimeout(java.time.Duration.ofSeconds(30)),
                            group.s3.credentials())
                    .close();
            for (int i = 0; i < count; i++) {
                ForwardingS3Proxy relay = ForwardingS3Proxy.start(group.s3.endpoint());
                group.relays.add(relay);
                group.brokers.add(group.startBroker(dir.resolve("b" + i), i, relay, 3));
            }
            return group;
        } catch (IOException | InterruptedException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** Starts a broker; one whose start-up store check timed out (a loaded machine) is started again. */
    private BrokerProcess startBroker(Path dir, int index, ForwardingS3Proxy relay, int attempts)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startBroker(dir, index, relay);
            } catch (IllegalStateException e) {
                if (attempt >= attempts || !e.getMessage().contains("exited 69")) {
                    throw e;
                }
            }
        }
    }

    private BrokerProcess startBroker(Path dir, int index, ForwardingS3Proxy relay)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
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
        if (LEGACY) {
            return Optional.empty();
        }
        ApiClient api = new ApiClient(url(asking).toString()).unvalidated();
        ApiClient.Reply reply = api.get("/v1/cluster");
        if (reply.status() != 200) {
            return Optional.empty();
        }
        int partition = dev.lockbroker.core.Partitions.of(namespace);
        JsonNode owner = reply.body().path("owners").path(partition).path("ownerUrl");
        for (int i = 0; i < brokers.size(); i++) {
            if (owner.asText("").equals(url(i).toString())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
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
