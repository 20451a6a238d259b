package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The memory limits refuse before anything is created, and only acquires. */
class LimitsTest {
    private final FakeClock clock = new FakeClock();
    private LockService service;

    private void start(int maxQueuedPerNamespace, int maxTickets, int maxNamespaces) {
        service = new LockService(
                new MemoryLeaseLog(),
                clock,
                Runnable::run,
                LockEventListener.NONE,
                new LockSettings(10_000, 60_000, 0, maxQueuedPerNamespace, maxTickets, maxNamespaces),
                (ns, e) -> {});
    }

    @AfterEach
    void close() {
        service.close();
    }

    private AcquireOutcome ask(String namespace, long waitMillis, String requestId) {
        Holder holder = new Holder("t", null, null);
        return service.acquire(
                new LeaseRequest(new LockKey(namespace, "k"), Mode.EXCLUSIVE, 5_000, waitMillis, holder, requestId), 0);
    }

    private static LimitExceededException.Limit refusal(Runnable call) {
        try {
            call.run();
        } catch (LimitExceededException e) {
            return e.limit();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void a_full_namespace_queue_refuses_new_waiters_but_answers_a_repeated_request() {
        start(1, 100, 100);
        var held = (AcquireOutcome.Granted) ask("a", 0, null);
        ask("a", 60_000, "r-1");
        assertThat(refusal(() -> ask("a", 60_000, null))).isEqualTo(LimitExceededException.Limit.QUEUED_PER_NAMESPACE);
        assertThat(service.status("a").waiting()).isEqualTo(1);
        assertThat(ask("a", 60_000, "r-1")).isInstanceOf(AcquireOutcome.Queued.class);
        assertThat(service.heartbeat(held.lease().leaseId()).token())
                .isEqualTo(held.lease().token());
    }

    @Test
    void the_ticket_table_and_the_namespace_table_have_caps() {
        start(100, 3, 2);
        ask("a", 0, null);
        ask("a", 60_000, null);
        ask("b", 0, null);
        assertThat(refusal(() -> ask("b", 60_000, null))).isEqualTo(LimitExceededException.Limit.TICKETS);
        assertThat(service.status("b").waiting()).isZero();
        assertThat(refusal(() -> ask("c", 0, null))).isEqualTo(LimitExceededException.Limit.NAMESPACES);
        assertThat(service.namespacesInMemory()).isEqualTo(2);
        assertThatThrownBy(() -> service.heartbeat("c~unknown")).isInstanceOf(NotFoundException.class);
    }
}
