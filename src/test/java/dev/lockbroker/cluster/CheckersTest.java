package dev.lockbroker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkers over hand-made histories: each kind of violation must be found, and a clean history
 * (or one whose disorder a recorded owner change explains) must pass. Times in ms from a base near
 * the wrap of {@code nanoTime}, so every comparison must be by subtraction.
 */
class CheckersTest {
    private static final long BASE = Long.MAX_VALUE - 5_000_000_000L;
    private static final String NS = "ns";

    private static long ms(long millis) {
        return BASE + millis * 1_000_000;
    }

    private static Beliefs.Belief belief(int client, long token, long fromMs, long toMs) {
        return new Beliefs.Belief(client, 0, NS, token, ms(fromMs), ms(toMs));
    }

    private static Fairness.Wait granted(int client, long joinMs, long queuedMs, long grantMs) {
        return new Fairness.Wait(client, NS, ms(joinMs), ms(queuedMs), ms(grantMs), true);
    }

    private static Fairness.Wait gaveUp(int client, long joinMs, long queuedMs, long endMs) {
        return new Fairness.Wait(client, NS, ms(joinMs), ms(queuedMs), ms(endMs), false);
    }

    /** Three clients served in join order, back to back. */
    private static final List<Fairness.Wait> FIFO_WAITS =
            List.of(granted(1, 0, 10, 10), granted(2, 100, 150, 1_020), granted(3, 200, 250, 2_030));

    private static final List<Beliefs.Belief> FIFO_BELIEFS =
            List.of(belief(1, 1, 10, 1_000), belief(2, 2, 1_020, 2_000), belief(3, 3, 2_030, 3_000));

    @Test
    void a_clean_history_passes_both_checks() {
        assertThat(Beliefs.check(FIFO_BELIEFS).isClean()).isTrue();
        assertThat(Fairness.check(FIFO_WAITS, FIFO_BELIEFS, List.of()).isClean())
                .isTrue();
    }

    @Test
    void overlapping_beliefs_are_found() {
        Beliefs.Report report = Beliefs.check(List.of(belief(1, 1, 0, 1_000), belief(2, 2, 900, 2_000)));
        assertThat(report.overlaps()).isEqualTo(1);
        assertThat(report.worstOverlapMillis()).isEqualTo(100);
    }

    @Test
    void beliefs_in_different_namespaces_never_conflict() {
        Beliefs.Belief other = new Beliefs.Belief(2, 0, "other", 1, ms(500), ms(1_500));
        assertThat(Beliefs.check(List.of(belief(1, 1, 0, 1_000), other)).isClean())
                .isTrue();
    }

    @Test
    void a_token_lower_than_an_earlier_grant_is_an_inversion_and_a_repeat_is_found() {
        assertThat(Beliefs.check(List.of(belief(1, 5, 0, 100), belief(2, 4, 200, 300)))
                        .inversions())
                .isEqualTo(1);
        assertThat(Beliefs.check(List.of(belief(1, 5, 0, 100), belief(2, 5, 200, 300)))
                        .repeatedTokens())
                .isEqualTo(1);
    }

    @Test
    void a_later_joiner_granted_before_a_queued_waiter_is_a_fifo_violation() {
        // Client 2 joins 400 ms after client 1 was queued, and is granted while client 1 still waits.
        List<Fairness.Wait> waits =
                List.of(granted(9, 0, 0, 0), granted(1, 50, 100, 2_030), granted(2, 500, 550, 1_020));
        List<Beliefs.Belief> beliefs =
                List.of(belief(9, 1, 0, 1_000), belief(2, 2, 1_020, 2_000), belief(1, 3, 2_030, 3_000));
        Fairness.Report report = Fairness.check(waits, beliefs, List.of());
        assertThat(report.fifoViolations()).isEqualTo(1);
        assertThat(report.starved()).isZero();
    }

    @Test
    void a_waiter_that_gave_up_while_a_later_joiner_was_granted_was_overtaken() {
        List<Fairness.Wait> waits = List.of(gaveUp(1, 0, 100, 8_000), granted(2, 500, 550, 1_020));
        Fairness.Report report = Fairness.check(waits, List.of(belief(2, 1, 1_020, 9_000)), List.of());
        assertThat(report.fifoViolations()).isEqualTo(1);
    }

    @Test
    void joins_within_the_slack_or_grants_answered_close_together_are_no_violation() {
        // Client 2 sent its join 30 ms after client 1 was queued: they may have arrived in any order.
        List<Fairness.Wait> racing = List.of(granted(1, 0, 100, 1_100), granted(2, 130, 200, 1_000));
        assertThat(Fairness.check(racing, List.of(), List.of()).fifoViolations())
                .isZero();
        // Client 1's grant arrived 100 ms after client 2's: its answer may have been slower.
        List<Fairness.Wait> close = List.of(granted(1, 0, 100, 1_100), granted(2, 500, 550, 1_000));
        assertThat(Fairness.check(close, List.of(), List.of()).fifoViolations()).isZero();
    }

    @Test
    void an_owner_change_between_the_join_and_the_overtaking_grant_excuses_the_disorder() {
        List<Fairness.Wait> waits = List.of(gaveUp(1, 0, 100, 8_000), granted(2, 500, 550, 1_020));
        List<Fairness.Window> windows = List.of(new Fairness.Window(Fairness.Kind.OWNER_CHANGE, ms(300), ms(900)));
        Fairness.Report report = Fairness.check(waits, List.of(belief(2, 1, 1_020, 9_000)), windows);
        assertThat(report.fifoViolations()).isZero();
        assertThat(report.excusedPairs()).isEqualTo(1);
        // A stall (store faults that kept the owner) keeps the queue: it excuses no disorder.
        List<Fairness.Window> stall = List.of(new Fairness.Window(Fairness.Kind.STALL, ms(300), ms(900)));
        assertThat(Fairness.check(waits, List.of(belief(2, 1, 1_020, 9_000)), stall)
                        .fifoViolations())
                .isEqualTo(1);
    }

    @Test
    void a_waiter_queued_while_nobody_held_the_key_for_longer_than_the_bound_starved() {
        // The key is free from 1 s to 5 s while client 2 waits: 4 s > 2.5 s.
        List<Fairness.Wait> waits = List.of(granted(1, 0, 0, 0), granted(2, 100, 200, 5_000));
        List<Beliefs.Belief> beliefs = List.of(belief(1, 1, 0, 1_000), belief(2, 2, 5_000, 6_000));
        Fairness.Report report = Fairness.check(waits, beliefs, List.of());
        assertThat(report.starved()).isEqualTo(1);
        assertThat(report.fifoViolations()).isZero();
    }

    @Test
    void a_waiter_that_timed_out_on_a_free_key_starved() {
        List<Fairness.Wait> waits = List.of(gaveUp(1, 0, 300, 8_000));
        assertThat(Fairness.check(waits, List.of(belief(2, 1, 0, 1_000)), List.of())
                        .starved())
                .isEqualTo(1);
    }

    @Test
    void free_time_inside_a_fault_window_or_under_the_bound_is_no_starvation() {
        List<Fairness.Wait> waits = List.of(granted(2, 100, 200, 5_000));
        List<Beliefs.Belief> beliefs = List.of(belief(1, 1, 0, 1_000), belief(2, 2, 5_000, 6_000));
        List<Fairness.Window> stall = List.of(new Fairness.Window(Fairness.Kind.STALL, ms(2_000), ms(4_000)));
        assertThat(Fairness.check(waits, beliefs, stall).starved()).isZero(); // free 1 s, then 1 s
        List<Beliefs.Belief> busier = List.of(belief(1, 1, 0, 3_000), belief(2, 2, 5_000, 6_000));
        assertThat(Fairness.check(waits, busier, List.of()).starved()).isZero(); // free 2 s
    }
}
