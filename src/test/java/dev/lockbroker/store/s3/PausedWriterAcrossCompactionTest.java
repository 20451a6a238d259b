package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.LeaseLogContract;
import dev.lockbroker.support.ExclusionChecker;
import dev.lockbroker.support.ExclusionChecker.Hold;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3ProxyPerClass;
import dev.lockbroker.support.S3ProxyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two brokers on one bucket; broker B's grant PUT is held by a relay while broker A wins the same
 * record number, grants from it, and compacts the namespace (deleting that record). Then B's PUT
 * lands with 200. Each broker's grants are recorded as beliefs (token, from grant to release) and
 * checked: no token twice, no overlapping exclusive holds. With the seal check B's append does not
 * count and B grants later with the next token; with it off, the checker catches B granting A's
 * token while A holds it.
 *
 * <p>The same across a retirement, with a namespace used once as a pipeline run uses it: B reads it
 * empty and its PUT of record 1 is held; A creates record 1, grants from it, releases and retires
 * the namespace, deleting record 1; B's PUT lands with 200. With the retirement check B's create
 * does not count and B grants from the next life with the next token; with it off, the checker
 * catches B granting A's token a second time.
 */
class PausedWriterAcrossCompactionTest {
    @RegisterExtension
    static final S3ProxyPerClass s3 = new S3ProxyPerClass();

    private static ForwardingS3Proxy relay;

    private static final LockKey KEY = new LockKey("paused", null);
    private static final LockKey ONE_OFF = new LockKey("one-off", null);
    private static final Holder HOLDER = new Holder("checker", "host", 7L);

    @BeforeAll
    static void start() {
        relay = ForwardingS3Proxy.start(s3.server().endpoint());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void a_broker_whose_put_lands_after_compaction_never_grants_from_it() throws Exception {
        ExclusionChecker.check(run(CompactionContract.FAST));
    }

    @Test
    void without_the_seal_check_the_checker_sees_a_token_granted_twice() throws Exception {
        List<Hold> holds = run(CompactionContract.FAST.withoutSealChecks());
        assertThatThrownBy(() -> ExclusionChecker.check(holds))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("granted twice");
    }

    @Test
    void a_broker_whose_put_lands_after_retirement_never_grants_from_it() throws Exception {
        List<Hold> holds = runRetirement(CompactionContract.FAST);
        ExclusionChecker.check(holds);
        assertThat(holds.get(1).token())
                .as("the next life's token")
                .isGreaterThan(holds.get(0).token());
    }

    @Test
    void without_the_retirement_check_the_checker_sees_a_token_granted_twice() throws Exception {
        List<Hold> holds = runRetirement(CompactionContract.FAST.withoutRetireChecks());
        assertThatThrownBy(() -> ExclusionChecker.check(holds))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("granted twice");
    }

    private static List<Hold> run(CompactionSettings stalledCompaction) throws Exception {
        List<Hold> holds = new ArrayList<>();
        try (Brokers brokers = Brokers.open(stalledCompaction)) {
            S3LeaseLog logA = brokers.logA();
            LockService brokerA = brokers.a();
            LockService brokerB = brokers.b();
            for (int i = 0; i < 3; i++) {
                long requested = System.nanoTime();
                var g = grant(brokerA, 0);
                brokerA.release(g.lease().leaseId());
                holds.add(new Hold(
                        holds.size(), KEY, Mode.EXCLUSIVE, g.lease().token(), requested, requested, System.nanoTime()));
            }
            ForwardingS3Proxy.HeldPut held = relay.holdNextPut();
            long requestedB = System.nanoTime();
            CompletableFuture<Belief> grantB =
                    CompletableFuture.supplyAsync(() -> new Belief(grant(brokerB, 20), System.nanoTime()));
            assertThat(held.awaitArrival(Duration.ofSeconds(10))).isTrue();

            long requestedA = System.nanoTime();
            var a = grant(brokerA, 0); // wins the number B is writing, with the same token
            long startA = System.nanoTime();
            logA.compactNow(KEY.namespace()); // seals generation 0 and deletes that record
            held.release();
            Belief b = null;
            try {
                b = grantB.get(2, TimeUnit.SECONDS); // only the unsafe run grants while A holds
            } catch (TimeoutException e) {
                // B waits behind A's lease, as it should
            }
            long endA = System.nanoTime();
            brokerA.release(a.lease().leaseId());
            holds.add(new Hold(holds.size(), KEY, Mode.EXCLUSIVE, a.lease().token(), requestedA, startA, endA));
            if (b == null) {
                b = grantB.get(20, TimeUnit.SECONDS);
            }
            brokerB.release(b.granted().lease().leaseId());
            long tokenB = b.granted().lease().token();
            holds.add(new Hold(holds.size(), KEY, Mode.EXCLUSIVE, tokenB, requestedB, b.atNanos(), System.nanoTime()));
        }
        return holds;
    }

    private static List<Hold> runRetirement(CompactionSettings stalledSettings) throws Exception {
        List<Hold> holds = new ArrayList<>();
        try (Brokers brokers = Brokers.open(stalledSettings)) {
            S3LeaseLog logA = brokers.logA();
            LockService brokerA = brokers.a();
            LockService brokerB = brokers.b();
            ForwardingS3Proxy.HeldPut held = relay.holdNextPut();
            long requestedB = System.nanoTime();
            CompletableFuture<AcquireOutcome.Granted> grantB =
                    CompletableFuture.supplyAsync(() -> grant(brokerB, ONE_OFF, 0));
            assertThat(held.awaitArrival(Duration.ofSeconds(10))).isTrue();

            long requestedA = System.nanoTime();
            var a = grant(brokerA, ONE_OFF, 0); // wins record 1, the number B is writing, with the same token
            long startA = System.nanoTime();
            brokerA.release(a.lease().leaseId());
            long endA = System.nanoTime();
            holds.add(new Hold(holds.size(), ONE_OFF, Mode.EXCLUSIVE, a.lease().token(), requestedA, startA, endA));
            assertThat(retire(logA)).as("its records and the seal").isGreaterThanOrEqualTo(2);

            held.release();
            var b = grantB.get(20, TimeUnit.SECONDS);
            long startB = System.nanoTime();
            brokerB.release(b.lease().leaseId());
            holds.add(new Hold(
                    holds.size(), ONE_OFF, Mode.EXCLUSIVE, b.lease().token(), requestedB, startB, System.nanoTime()));
        }
        return holds;
    }

    /** Retires the namespace; a round whose seal loses to broker A writing the release is tried again. */
    private static int retire(S3LeaseLog log) throws InterruptedException {
        int deleted = 0;
        for (int attempt = 0; attempt < 20 && deleted == 0; attempt++) {
            deleted = log.retireNow(ONE_OFF.namespace());
            if (deleted == 0) {
                Thread.sleep(50);
            }
        }
        return deleted;
    }

    /**
     * Broker A on the bucket directly, broker B behind the relay with {@code stalled}, on a fresh
     * prefix; both sweep.
     */
    private record Brokers(S3LeaseLog logA, S3LeaseLog logB, LockService a, LockService b) implements AutoCloseable {
        static Brokers open(CompactionSettings stalled) {
            S3Settings patient = s3.server()
                    .settings()
                    .withPrefix("paused-" + UUID.randomUUID())
                    .withCallTimeout(Duration.ofSeconds(30));
            S3LeaseLog logA = S3LeaseLog.openUnchecked(patient, S3ProxyServer.CREDENTIALS, CompactionContract.FAST);
            S3LeaseLog logB = S3LeaseLog.openUnchecked(
                    patient.withEndpoint(relay.endpoint()), S3ProxyServer.CREDENTIALS, stalled);
            return new Brokers(
                    logA,
                    logB,
                    LeaseLogContract.service(logA).startSweeping(20),
                    LeaseLogContract.service(logB).startSweeping(20));
        }

        @Override
        public void close() {
            b.close();
            a.close();
            logB.close();
            logA.close();
        }
    }

    /** A grant and when its holder received it. */
    private record Belief(AcquireOutcome.Granted granted, long atNanos) {}

    private static AcquireOutcome.Granted grant(LockService broker, long waitSeconds) {
        return grant(broker, KEY, waitSeconds);
    }

    private static AcquireOutcome.Granted grant(LockService broker, LockKey key, long waitSeconds) {
        var request = new LeaseRequest(key, Mode.EXCLUSIVE, 30_000, waitSeconds * 1000, HOLDER, null);
        return (AcquireOutcome.Granted) broker.acquire(request, waitSeconds * 1000 + 5_000);
    }
}
