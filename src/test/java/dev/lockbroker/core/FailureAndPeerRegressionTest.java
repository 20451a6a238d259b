package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Regression tests for bugs a review found, each named after what broke. */
class FailureAndPeerRegressionTest {
    private static final String NS = "jobs";
    private final FakeClock clock = new FakeClock();
    private final MemoryLeaseLog log = new MemoryLeaseLog();

    private static LeaseRequest request(String shard, long waitSeconds, String name) {
        return new LeaseRequest(
                new LockKey(NS, shard), Mode.EXCLUSIVE, 5_000, waitSeconds * 1000, new Holder(name, null, null), null);
    }

    private LockService service(LeaseLog store) {
        return new LockService(
                store,
                clock,
                Runnable::run,
                LockEventListener.NONE,
                new LockSettings(60_000, 60_000, 0),
                (ns, e) -> {});
    }

    @Test
    void a_peer_broker_does_not_expire_a_lease_heartbeated_at_its_owner() {
        LockService a = service(log);
        LockService b = service(log);
        LeaseView held = ((AcquireOutcome.Granted) a.acquire(request("a", 0, "owner"), 0)).lease();
        assertThat(b.acquire(request("a", 0, "peer"), 0)).isInstanceOf(AcquireOutcome.Busy.class); // B adopts the lease
        for (int second = 0; second < 30; second++) {
            clock.advanceMillis(1_000);
            a.heartbeat(held.leaseId());
            a.sweep();
            b.sweep();
        }
        assertThat(b.acquire(request("a", 0, "intruder"), 0)).isInstanceOf(AcquireOutcome.Busy.class);
        assertThat(a.heartbeat(held.leaseId()).leaseId()).isEqualTo(held.leaseId());
        a.close();
        b.close();
    }

    @Test
    void a_peer_broker_expires_a_lease_once_its_holder_stops_heartbeating() {
        LockService a = service(log);
        LockService b = service(log);
        LeaseView held = ((AcquireOutcome.Granted) a.acquire(request("a", 0, "owner"), 0)).lease();
        assertThat(b.acquire(request("a", 0, "peer"), 0)).isInstanceOf(AcquireOutcome.Busy.class);
        clock.advanceMillis(5_000 * 3 / 2 + 1_001);
        b.sweep();
        assertThat(b.acquire(request("a", 0, "next"), 0)).isInstanceOf(AcquireOutcome.Granted.class);
        a.sweep(); // the owner's own deadline passed too: it reads the store and learns the lease is gone
        assertThatThrownBy(() -> a.heartbeat(held.leaseId())).isInstanceOf(GoneException.class);
        a.close();
        b.close();
    }

    @Test
    void cancelling_a_granted_ticket_whose_lease_expired_keeps_the_expiry() {
        LockService s = service(log);
        LeaseView holder = ((AcquireOutcome.Granted) s.acquire(request("a", 0, "h"), 0)).lease();
        String ticket = ((AcquireOutcome.Queued) s.acquire(request("a", 60, "w"), 0))
                .ticket()
                .ticketId();
        s.release(holder.leaseId());
        LeaseView lease = ((AcquireOutcome.Granted) s.poll(ticket, 0)).lease();
        clock.advanceMillis(6_000);
        s.sweep();
        int before = log.appends();
        s.cancel(ticket);
        assertThatThrownBy(() -> s.release(lease.leaseId()))
                .isInstanceOfSatisfying(
                        GoneException.class, e -> assertThat(e.reason()).isEqualTo(EndReason.EXPIRED));
        assertThat(log.appends()).isEqualTo(before);
        s.close();
    }

    @Test
    void a_grant_whose_write_answer_was_lost_is_granted_once_its_record_is_seen() throws InterruptedException {
        LeaseLog losesOneAnswer = new LeaseLog() {
            private boolean armed;

            @Override
            public boolean append(String namespace, LeaseRecord record) {
                boolean created = log.append(namespace, record);
                if (armed) {
                    armed = false;
                    throw new StoreUnavailableException("the answer was lost");
                }
                armed = record.leases().stream().anyMatch(e -> e.holder().name().equals("arm"));
                return created;
            }

            @Override
            public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
                return log.latestAfter(namespace, seq);
            }

            @Override
            public void checkReachable() {}
        };
        LockService s = service(losesOneAnswer);
        LeaseView arm = ((AcquireOutcome.Granted) s.acquire(request("a", 0, "arm"), 0)).lease();
        String ticket = ((AcquireOutcome.Queued) s.acquire(request("a", 60, "w"), 0))
                .ticket()
                .ticketId();
        s.release(arm.leaseId()); // the record granting w lands, but its answer is an error
        AcquireOutcome outcome = null;
        for (int i = 0; i < 100 && !(outcome instanceof AcquireOutcome.Granted); i++) {
            Thread.sleep(20); // the retry runs after a real backoff
            try {
                outcome = s.poll(ticket, 0);
            } catch (StoreUnavailableException stillRetrying) {
                outcome = null;
            }
        }
        assertThat(outcome).isInstanceOf(AcquireOutcome.Granted.class);
        assertThat(s.status(NS).holders()).isEqualTo(1);
        assertThat(s.status(NS).waiting()).isZero();
        s.close();
    }

    private LockService service(LeaseLog store, long retentionMillis) {
        return new LockService(
                store,
                clock,
                Runnable::run,
                LockEventListener.NONE,
                new LockSettings(60_000, retentionMillis, 0),
                (ns, e) -> {});
    }

    @Test
    void a_heartbeat_through_a_peer_does_not_shorten_the_grace_it_gives() {
        LockService a = service(log);
        LockService b = service(log);
        LeaseView held = ((AcquireOutcome.Granted) a.acquire(request("a", 0, "owner"), 0)).lease(); // t=0
        assertThat(b.acquire(request("a", 0, "peer"), 0)).isInstanceOf(AcquireOutcome.Busy.class); // B: 1.5 TTL + 1 s
        clock.advanceMillis(1_000);
        b.heartbeat(held.leaseId()); // must not pull B's deadline in to t=6 s
        clock.advanceMillis(1_250);
        LeaseView atOwner = a.heartbeat(held.leaseId()); // unwritten yet; the holder counts to t=7.25 s
        a.sweep();
        clock.advanceMillis(3_800); // t=6.05 s
        a.sweep();
        b.sweep();
        assertThat(atOwner.expiresAtMillis()).isGreaterThan(clock.wallMillis());
        assertThat(b.acquire(request("a", 0, "intruder"), 0)).isInstanceOf(AcquireOutcome.Busy.class);
        a.close();
        b.close();
    }

    @Test
    void a_heartbeat_that_arrives_after_the_deadline_is_refused() {
        LockService s = service(log);
        LeaseView held = ((AcquireOutcome.Granted) s.acquire(request("a", 0, "late"), 0)).lease();
        clock.advanceMillis(5_001); // past the TTL, before any sweep has read the store
        assertThatThrownBy(() -> s.heartbeat(held.leaseId()))
                .isInstanceOfSatisfying(
                        GoneException.class, e -> assertThat(e.reason()).isEqualTo(EndReason.EXPIRED));
        s.close();
    }

    @Test
    void a_load_that_races_retirement_leaves_no_orphan_lease() throws Exception {
        java.util.concurrent.CountDownLatch readStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseRead = new java.util.concurrent.CountDownLatch(1);
        Thread[] gatedThread = new Thread[1];
        LeaseLog gated = new LeaseLog() {
            @Override
            public boolean append(String namespace, LeaseRecord record) {
                return log.append(namespace, record);
            }

            @Override
            public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
                Optional<LeaseRecord> result = log.latestAfter(namespace, seq);
                if (Thread.currentThread() == gatedThread[0]) {
                    readStarted.countDown();
                    try {
                        releaseRead.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return result;
            }

            @Override
            public void checkReachable() {
                log.checkReachable();
            }
        };
        LockService s = service(gated, 1_000);
        log.setFailing(true); // s keeps an engine for NS that never loaded
        assertThatThrownBy(() -> s.acquire(request("a", 0, "x"), 0)).isInstanceOf(StoreUnavailableException.class);
        log.setFailing(false);
        LockService a = service(log);
        LeaseView held = ((AcquireOutcome.Granted) a.acquire(request("a", 0, "owner"), 0)).lease();
        s.sweep();
        clock.advanceMillis(1_000);
        java.util.concurrent.CompletableFuture<LeaseView> slow = new java.util.concurrent.CompletableFuture<>();
        Thread heartbeat = new Thread(() -> {
            try {
                slow.complete(s.heartbeat(held.leaseId()));
            } catch (RuntimeException e) {
                slow.completeExceptionally(e);
            }
        });
        gatedThread[0] = heartbeat;
        heartbeat.start();
        assertThat(readStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // the stale engine is loading
        s.sweep(); // ... and is retired meanwhile
        assertThat(s.describe(held.leaseId()).leaseId()).isEqualTo(held.leaseId()); // a fresh engine loads
        releaseRead.countDown();
        slow.get(5, java.util.concurrent.TimeUnit.SECONDS);
        AcquireOutcome intruder = null;
        for (int second = 0; second < 30 && !(intruder instanceof AcquireOutcome.Granted); second++) {
            clock.advanceMillis(1_000);
            s.heartbeat(held.leaseId());
            s.sweep();
            intruder = s.acquire(request("a", 0, "intruder"), 0);
        }
        assertThat(intruder).isInstanceOf(AcquireOutcome.Busy.class);
        s.close();
        a.close();
    }
}
