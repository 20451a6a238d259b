package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An operator's revoke, through the public core API: by lease id and by key, with its guard. */
class RevokeTest {
    private static final String NS = "jobs";
    private final FakeClock clock = new FakeClock();
    private final MemoryLeaseLog log = new MemoryLeaseLog();
    private final List<LockEvent> events = new ArrayList<>();
    private final LockService service = service();

    private LockService service() {
        return new LockService(
                log, clock, Runnable::run, events::add, new LockSettings(10_000, 60_000, 0), (ns, e) -> {});
    }

    @AfterEach
    void close() {
        service.close();
    }

    /** A request of key {@code NS/shard} with a 5 s TTL, waiting {@code waitMillis}. */
    private static LeaseRequest request(String shard, Mode mode, long waitMillis) {
        return new LeaseRequest(new LockKey(NS, shard), mode, 5_000, waitMillis, new Holder("t", null, null), null);
    }

    private static LeaseView hold(LockService on, String shard, Mode mode) {
        AcquireOutcome outcome = on.acquire(request(shard, mode, 0), 0);
        assertThat(outcome).isInstanceOf(AcquireOutcome.Granted.class);
        return ((AcquireOutcome.Granted) outcome).lease();
    }

    @Test
    void a_revoked_lease_answers_its_heartbeat_with_the_reason_and_the_next_waiter_is_granted() {
        LeaseView held = hold(service, "a", Mode.EXCLUSIVE);
        var queued = (AcquireOutcome.Queued) service.acquire(request("a", Mode.EXCLUSIVE, 60_000), 0);

        service.revoke(held.leaseId(), "stuck since Tuesday");

        assertThatThrownBy(() -> service.heartbeat(held.leaseId())).isInstanceOfSatisfying(GoneException.class, e -> {
            assertThat(e.reason()).isEqualTo(EndReason.REVOKED);
            assertThat(e.getMessage()).isEqualTo("stuck since Tuesday");
        });
        var next = service.poll(queued.ticket().ticketId(), 0);
        assertThat(((AcquireOutcome.Granted) next).lease().token()).isGreaterThan(held.token());
        assertThat(events)
                .filteredOn(e -> e instanceof LockEvent.LeaseEnded l && l.outcome() == EndReason.REVOKED)
                .hasSize(1);
    }

    @Test
    void revoking_an_ended_lease_is_gone_and_an_unknown_one_not_found() {
        LeaseView held = hold(service, "a", Mode.EXCLUSIVE);
        service.release(held.leaseId());
        assertThatThrownBy(() -> service.revoke(held.leaseId(), "late"))
                .isInstanceOfSatisfying(
                        GoneException.class, e -> assertThat(e.reason()).isEqualTo(EndReason.RELEASED));
        assertThatThrownBy(() -> service.revoke(NS + "~nope", "x")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.revoke(held.leaseId(), " ")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void a_revoke_by_key_takes_exactly_that_key_and_all_its_shared_holders() {
        LeaseView a1 = hold(service, "a", Mode.SHARED);
        LeaseView a2 = hold(service, "a", Mode.SHARED);
        LeaseView b = hold(service, "b", Mode.EXCLUSIVE);

        List<LeaseView> revoked = service.revokeKey(new LockKey(NS, "a"), null, "maintenance");

        assertThat(revoked).extracting(LeaseView::leaseId).containsExactlyInAnyOrder(a1.leaseId(), a2.leaseId());
        assertThat(service.heartbeat(b.leaseId()).token()).isEqualTo(b.token());
        assertThatThrownBy(() -> service.revokeKey(LockKey.whole(NS), null, "x"))
                .isInstanceOfSatisfying(
                        RevokeRefusedException.class,
                        e -> assertThat(e.why()).isEqualTo(RevokeRefusedException.Why.NOT_HELD));
    }

    @Test
    void a_fencing_token_guard_refuses_to_revoke_another_holder_and_changes_nothing() {
        LeaseView held = hold(service, null, Mode.EXCLUSIVE);
        assertThatThrownBy(() -> service.revokeKey(LockKey.whole(NS), held.token() + 1, "wrong one"))
                .isInstanceOfSatisfying(
                        RevokeRefusedException.class,
                        e -> assertThat(e.why()).isEqualTo(RevokeRefusedException.Why.HOLDER_MISMATCH));
        assertThat(service.heartbeat(held.leaseId()).token()).isEqualTo(held.token());

        assertThat(service.revokeKey(LockKey.whole(NS), held.token(), "right one"))
                .extracting(LeaseView::token)
                .containsExactly(held.token());
    }

    @Test
    void the_revoke_is_in_the_next_record_so_a_restarted_broker_does_not_bring_the_lease_back() {
        LeaseView held = hold(service, "a", Mode.EXCLUSIVE);
        int appendsBefore = log.appends();
        service.revoke(held.leaseId(), "runaway");
        assertThat(log.appends()).isGreaterThan(appendsBefore);

        try (LockService restarted = service()) {
            assertThatThrownBy(() -> restarted.heartbeat(held.leaseId())).isInstanceOf(NotFoundException.class);
            assertThat(hold(restarted, "a", Mode.EXCLUSIVE).token()).isGreaterThan(held.token());
        }
    }
}
