package dev.lockbroker.s3broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.Mode;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.BrokerProcess;
import dev.lockbroker.support.ExclusionChecker;
import dev.lockbroker.support.S3Backend;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker runs as its own JVM against a real S3 server and is SIGKILLed while a lease is held and waiters
 * queue. A new broker on the same bucket recovers the lease (its holder's heartbeats go on being
 * accepted), the waiters re-enter the queue, and no grant ever conflicts with the recovered lease.
 */
abstract class S3BrokerCrash {
    private static final LockKey KEY = new LockKey("crash", "k");
    private static final int WAITERS = 4;

    @TempDir
    Path dir;

    /** The server the brokers use, for one test; {@link #release} undoes what this made. */
    abstract S3Backend backend(Path dataDir);

    void release() {}

    @AfterEach
    void releaseBackend() {
        release();
    }

    @Test
    void a_killed_broker_loses_no_lease_and_grants_nothing_twice() throws Exception {
        S3Backend s3 = backend(dir.resolve("s3"));
        String prefix = "crash-" + UUID.randomUUID();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = freePort();
            BrokerProcess first = startBroker(s3, prefix, port);
            String url = first.url().toString();
            ApiClient api = new ApiClient(url);

            var held = api.acquire(
                    KEY.namespace(),
                    "{\"shard\":\"k\",\"mode\":\"exclusive\",\"ttlSeconds\":4,\"holder\":{\"name\":\"survivor\"}}");
            assertThat(held.status()).isEqualTo(201);
            long heldFrom = System.nanoTime();
            AtomicBoolean holding = new AtomicBoolean(true);
            AtomicInteger acceptedAfterRestart = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean restarted = new AtomicBoolean();
            Future<?> heartbeats = pool.submit(
                    () -> heartbeat(api, held.location(), holding, restarted, acceptedAfterRestart, refused));

            List<Future<ExclusionChecker.Hold>> waiters = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                int order = i;
                waiters.add(pool.submit(() -> holdThroughCrash(new ApiClient(url), order)));
            }
            Thread.sleep(700);
            assertThat(api.get("/v1/namespaces/crash/locks")
                            .body()
                            .path("waiting")
                            .asInt())
                    .isEqualTo(WAITERS);

            first.kill();
            BrokerProcess second = startBroker(s3, prefix, port);
            restarted.set(true);
            try {
                Thread.sleep(3_000); // the waiters are back in the queue; only recovery's grace keeps them out
                holding.set(false);
                long heldUntil = System.nanoTime();
                heartbeats.get(10, TimeUnit.SECONDS);
                assertThat(api.delete(held.location()).status()).isEqualTo(204);

                List<ExclusionChecker.Hold> holds = new ArrayList<>();
                holds.add(new ExclusionChecker.Hold(
                        0, KEY, Mode.EXCLUSIVE, held.body().path("fencingToken").asLong(), 0, heldFrom, heldUntil));
                for (Future<ExclusionChecker.Hold> waiter : waiters) {
                    holds.add(waiter.get(90, TimeUnit.SECONDS));
                }
                ExclusionChecker.check(holds);
                assertThat(refused.get()).as("heartbeats answered 410").isZero();
                assertThat(acceptedAfterRestart.get())
                        .as("heartbeats accepted by the new broker")
                        .isPositive();
                assertThat(holds.subList(1, holds.size()))
                        .allSatisfy(h -> assertThat(h.token())
                                .isGreaterThan(holds.getFirst().token()));
            } finally {
                second.close();
            }
        }
    }

    private BrokerProcess startBroker(S3Backend s3, String prefix, int port) throws Exception {
        var args = List.of(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--s3-bucket",
                s3.bucket(),
                "--s3-endpoint",
                s3.endpoint().toString(),
                "--s3-path-style",
                "--s3-prefix",
                prefix,
                "--long-poll-seconds",
                "1",
                "--ticket-ttl-seconds",
                "10");
        return BrokerProcess.startWith(dir.resolve("broker"), args, s3.credentialEnvironment());
    }

    /** Heartbeats every TTL/3 while holding, as clients do; a broker that is down is retried, a 410 is counted. */
    private static Void heartbeat(
            ApiClient api,
            String lease,
            AtomicBoolean holding,
            AtomicBoolean restarted,
            AtomicInteger acceptedAfterRestart,
            AtomicInteger refused)
            throws InterruptedException {
        while (holding.get()) {
            try {
                int status = api.post(lease + "/heartbeat", null).status();
                if (status == 200 && restarted.get()) {
                    acceptedAfterRestart.incrementAndGet();
                } else if (status == 410) {
                    refused.incrementAndGet();
                }
            } catch (UncheckedIOException brokerDown) {
                // the broker is between processes
            }
            Thread.sleep(1_333);
        }
        return null;
    }

    /** Queues (with a fixed requestId) until granted, re-entering the queue when the broker restarts. */
    private static ExclusionChecker.Hold holdThroughCrash(ApiClient api, int order) throws InterruptedException {
        String body =
                "{\"shard\":\"k\",\"mode\":\"exclusive\",\"waitSeconds\":60,\"ttlSeconds\":10,\"requestId\":\"waiter-"
                        + order + "\",\"holder\":{\"name\":\"waiter-" + order + "\"}}";
        long requested = System.nanoTime();
        long giveUpAt = requested + TimeUnit.SECONDS.toNanos(80);
        while (System.nanoTime() - giveUpAt < 0) {
            try {
                var reply = api.acquire(KEY.namespace(), body);
                while (reply.status() == 202) {
                    reply = api.get(reply.location() + "?waitSeconds=1");
                }
                if (reply.status() == 200 || reply.status() == 201) {
                    long start = System.nanoTime();
                    Thread.sleep(50);
                    long end = System.nanoTime();
                    assertThat(api.delete("/v1/leases/" + reply.text("leaseId")).status())
                            .isEqualTo(204);
                    return new ExclusionChecker.Hold(
                            0,
                            KEY,
                            Mode.EXCLUSIVE,
                            reply.body().path("fencingToken").asLong(),
                            requested,
                            start,
                            end);
                }
            } catch (UncheckedIOException brokerDown) {
                // the broker is between processes: try again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waiter " + order + " was never granted");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
