package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.EndReason;
import dev.lockbroker.core.LockEvent;
import dev.lockbroker.core.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsListenerTest {
    private static final String HOLD = "lockbroker_lock_hold_seconds";
    private static final String WAIT = "lockbroker_lock_wait_seconds";
    private static final long MS = 1_000_000;

    private BrokerMetrics metrics = BrokerMetrics.create(2);

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void a_3ms_hold_lands_in_the_5ms_bucket_and_every_one_above() {
        hold("orders", Mode.EXCLUSIVE, EndReason.RELEASED, 3 * MS);
        Scrape s = scrape();
        String[] series = {"namespace", "orders", "mode", "exclusive", "outcome", "released"};
        assertThat(s.value(HOLD + "_bucket", with(series, "le", "0.0025"))).isZero();
        assertThat(s.value(HOLD + "_bucket", with(series, "le", "0.005"))).isEqualTo(1);
        assertThat(s.value(HOLD + "_bucket", with(series, "le", "600.0"))).isEqualTo(1);
        assertThat(s.value(HOLD + "_bucket", with(series, "le", "+Inf"))).isEqualTo(1);
        assertThat(s.value(HOLD + "_count", series)).isEqualTo(1);
        assertThat(s.value(HOLD + "_sum", series)).isEqualTo(0.003);
    }

    @Test
    void buckets_run_from_1ms_to_10min() {
        hold("orders", Mode.SHARED, EndReason.EXPIRED, 42 * MS);
        List<String> bounds = scrape().matching(HOLD + "_bucket", "mode", "shared", "outcome", "expired").stream()
                .map(sample -> sample.labels().get("le"))
                .toList();
        assertThat(bounds)
                .containsExactly(
                        "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
                        "10.0", "30.0", "60.0", "120.0", "300.0", "600.0", "+Inf");
    }

    @Test
    void a_10_minute_hold_is_below_the_top_bucket_and_an_hour_only_in_inf() {
        hold("orders", Mode.EXCLUSIVE, EndReason.RELEASED, 600_000 * MS);
        hold("orders", Mode.EXCLUSIVE, EndReason.RELEASED, 3_600_000 * MS);
        Scrape s = scrape();
        String[] released = {"mode", "exclusive", "outcome", "released"};
        assertThat(s.value(HOLD + "_bucket", with(released, "le", "300.0"))).isZero();
        assertThat(s.value(HOLD + "_bucket", with(released, "le", "600.0"))).isEqualTo(1);
        assertThat(s.value(HOLD + "_bucket", with(released, "le", "+Inf"))).isEqualTo(2);
    }

    @Test
    void wait_outcomes_are_granted_timeout_cancelled_abandoned_and_busy_is_not_recorded() {
        for (EndReason.WaitEnd reason : List.of(
                EndReason.GRANTED, EndReason.TIMED_OUT, EndReason.CANCELLED, EndReason.ABANDONED, EndReason.BUSY)) {
            metrics.listener().on(new LockEvent.WaitEnded("orders", null, Mode.EXCLUSIVE, reason, 7 * MS));
        }
        Scrape s = scrape();
        for (String outcome : List.of("granted", "timeout", "cancelled", "abandoned")) {
            assertThat(s.value(WAIT + "_count", "mode", "exclusive", "outcome", outcome))
                    .as(outcome)
                    .isEqualTo(1);
        }
        assertThat(s.matching(WAIT + "_count").stream()
                        .mapToDouble(Scrape.Sample::value)
                        .sum())
                .isEqualTo(4);
        assertThat(s.has(WAIT + "_count", "outcome", "busy")).isFalse();
    }

    @Test
    void every_outcome_of_a_new_namespace_starts_at_zero() {
        metrics.listener().on(new LockEvent.Counts("orders", 1, 0, 1, 0));
        Scrape s = scrape();
        for (String mode : List.of("exclusive", "shared")) {
            for (String outcome : List.of("released", "expired", "revoked")) {
                assertThat(s.has(HOLD + "_count", "namespace", "orders", "mode", mode, "outcome", outcome))
                        .isTrue();
            }
            for (String outcome : List.of("granted", "timeout", "cancelled", "abandoned")) {
                assertThat(s.has(WAIT + "_count", "namespace", "orders", "mode", mode, "outcome", outcome))
                        .isTrue();
            }
        }
        assertThat(s.matching(HOLD + "_count")).hasSize(6).allMatch(x -> x.value() == 0);
        assertThat(s.matching(WAIT + "_count")).hasSize(8).allMatch(x -> x.value() == 0);
    }

    @Test
    void lease_outcomes_are_released_expired_and_revoked() {
        hold("orders", Mode.SHARED, EndReason.RELEASED, MS);
        hold("orders", Mode.SHARED, EndReason.EXPIRED, MS);
        hold("orders", Mode.SHARED, EndReason.REVOKED, MS);
        Scrape s = scrape();
        assertThat(s.matching(HOLD + "_count", "mode", "shared").stream()
                        .map(x -> x.labels().get("outcome")))
                .containsExactlyInAnyOrder("released", "expired", "revoked");
    }

    @Test
    void namespaces_past_the_limit_share_the_other_label() {
        for (String ns : List.of("a", "b", "c", "d", "a", "c")) {
            hold(ns, Mode.EXCLUSIVE, EndReason.RELEASED, MS);
        }
        Scrape s = scrape();
        assertThat(s.matching(HOLD + "_count").stream()
                        .map(x -> x.labels().get("namespace"))
                        .distinct())
                .containsExactlyInAnyOrder("a", "b", "_other");
        assertThat(s.value(HOLD + "_count", "namespace", "a", "mode", "exclusive", "outcome", "released"))
                .isEqualTo(2);
        assertThat(s.value(HOLD + "_count", "namespace", "_other", "mode", "exclusive", "outcome", "released"))
                .isEqualTo(3);
    }

    @Test
    void a_namespace_named_other_is_folded_even_under_the_limit() {
        counts("_other", 1, 0, 0);
        counts("real", 2, 0, 0);
        counts("late", 3, 0, 0);
        Scrape s = scrape();
        assertThat(s.value("lockbroker_queue_depth", "namespace", "_other")).isEqualTo(1);
        assertThat(s.value("lockbroker_queue_depth", "namespace", "late")).isEqualTo(3);
    }

    @Test
    void the_shard_is_never_a_label() {
        metrics.listener().on(new LockEvent.LeaseEnded("orders", "shard-7", Mode.EXCLUSIVE, EndReason.RELEASED, MS));
        metrics.listener().on(new LockEvent.WaitEnded("orders", "shard-7", Mode.EXCLUSIVE, EndReason.GRANTED, MS));
        assertThat(scrape().samples()).noneMatch(sample -> sample.labels().containsKey("shard"));
        assertThat(metrics.scrape()).doesNotContain("shard-7");
    }

    @Test
    void gauges_go_to_zero_when_a_namespace_empties() {
        counts("orders", 3, 1, 0);
        Scrape busy = scrape();
        assertThat(busy.value("lockbroker_queue_depth", "namespace", "orders")).isEqualTo(3);
        assertThat(busy.value("lockbroker_leases_active", "namespace", "orders", "mode", "exclusive"))
                .isEqualTo(1);
        counts("orders", 0, 0, 0);
        Scrape idle = scrape();
        assertThat(idle.has("lockbroker_queue_depth", "namespace", "orders")).isTrue();
        assertThat(idle.value("lockbroker_queue_depth", "namespace", "orders")).isZero();
        assertThat(idle.value("lockbroker_leases_active", "namespace", "orders", "mode", "exclusive"))
                .isZero();
        assertThat(idle.has("lockbroker_leases_active", "namespace", "orders", "mode", "shared"))
                .isTrue();
    }

    @Test
    void folded_namespaces_add_up_in_the_other_gauges_and_return_to_zero() {
        metrics.close();
        metrics = BrokerMetrics.create(0);
        counts("x", 2, 1, 0);
        counts("y", 1, 0, 3);
        counts("x", 4, 1, 0);
        assertThat(scrape().value("lockbroker_queue_depth", "namespace", "_other"))
                .isEqualTo(5);
        assertThat(scrape().value("lockbroker_leases_active", "namespace", "_other", "mode", "shared"))
                .isEqualTo(3);
        counts("x", 0, 0, 0);
        assertThat(scrape().value("lockbroker_queue_depth", "namespace", "_other"))
                .isEqualTo(1);
        counts("y", 0, 0, 0);
        Scrape idle = scrape();
        assertThat(idle.value("lockbroker_queue_depth", "namespace", "_other")).isZero();
        assertThat(idle.value("lockbroker_leases_active", "namespace", "_other", "mode", "exclusive"))
                .isZero();
        assertThat(idle.value("lockbroker_leases_active", "namespace", "_other", "mode", "shared"))
                .isZero();
    }

    @Test
    void concurrent_folded_namespaces_that_fill_and_empty_leave_zero() throws Exception {
        metrics.close();
        metrics = BrokerMetrics.create(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String ns = "ns-" + t;
                done.add(pool.submit(() -> {
                    for (int i = 1; i <= 500; i++) {
                        counts(ns, i % 7, i % 2, i % 3);
                    }
                    counts(ns, 0, 0, 0);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Scrape s = scrape();
        assertThat(s.matching("lockbroker_queue_depth")).hasSize(2);
        assertThat(s.value("lockbroker_queue_depth", "namespace", "_other")).isZero();
        assertThat(s.value("lockbroker_leases_active", "namespace", "_other", "mode", "shared"))
                .isZero();
    }

    @Test
    void a_negative_label_limit_is_refused() {
        assertThatThrownBy(() -> BrokerMetrics.create(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private void hold(String ns, Mode mode, EndReason.LeaseEnd reason, long nanos) {
        metrics.listener().on(new LockEvent.LeaseEnded(ns, null, mode, reason, nanos));
    }

    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> versions =
            new java.util.concurrent.ConcurrentHashMap<>();

    private void counts(String ns, int waiting, int exclusive, int shared) {
        long version = versions.computeIfAbsent(ns, n -> new java.util.concurrent.atomic.AtomicLong())
                .incrementAndGet();
        metrics.listener().on(new LockEvent.Counts(ns, version, waiting, exclusive, shared));
    }

    @Test
    void a_forgotten_namespace_is_dropped_from_the_gauges_memory_and_can_come_back() {
        counts("ephemeral", 1, 0, 0);
        counts("ephemeral", 0, 0, 0);
        assertThat(metrics.listener().rememberedNamespaces()).isEqualTo(1);
        metrics.listener().on(new LockEvent.Forgotten("ephemeral"));
        assertThat(metrics.listener().rememberedNamespaces()).isZero();
        counts("ephemeral", 2, 0, 0);
        assertThat(scrape().value("lockbroker_queue_depth", "namespace", "ephemeral"))
                .isEqualTo(2);
    }

    @Test
    void late_counts_from_an_older_change_do_not_overwrite_newer_ones() {
        metrics.listener().on(new LockEvent.Counts("orders", 2, 0, 1, 0));
        metrics.listener().on(new LockEvent.Counts("orders", 1, 5, 0, 0));
        assertThat(scrape().value("lockbroker_queue_depth", "namespace", "orders"))
                .isZero();
        assertThat(scrape().value("lockbroker_leases_active", "namespace", "orders", "mode", "exclusive"))
                .isEqualTo(1);
    }

    private Scrape scrape() {
        return Scrape.parse(metrics.scrape());
    }

    private static String[] with(String[] labels, String... more) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }
}
