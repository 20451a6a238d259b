package dev.lockbroker.metrics;

import dev.lockbroker.core.EndReason;
import dev.lockbroker.core.EndReason.WaitEnd;
import dev.lockbroker.core.LockEvent;
import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.core.Mode;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns core {@link LockEvent}s into the lock metrics: hold and wait histograms, queue-depth and
 * active-lease gauges. Namespaces past the labelled limit share the label {@code _other}; the shard
 * is never a label. A label's series are all registered at zero when it is first seen.
 *
 * <p>Wait outcomes are granted, timeout, cancelled and abandoned. A {@link EndReason#BUSY} end is not
 * recorded: a try-once request never waits in the queue, and the core reports only some busy answers
 * as events (not the ones refused before queueing), so a count of them would mislead.
 *
 * <p>Concurrency contract: thread-safe and lock-free apart from {@link NamespaceLabels} admitting a
 * new name; the core may call {@link #on} from many threads at once.
 */
public final class MetricsListener implements LockEventListener {
    private final NamespaceLabels labels;
    private final NamespaceGauges gauges;
    private final MeterProvider<Timer> holds;
    private final MeterProvider<Timer> waits;
    private final Set<String> primed = ConcurrentHashMap.newKeySet();

    public MetricsListener(MeterRegistry registry, int maxNamespaceLabels) {
        this.labels = new NamespaceLabels(maxNamespaceLabels);
        this.gauges = new NamespaceGauges(registry);
        this.holds = Timer.builder(MeterNames.LOCK_HOLD_SECONDS)
                .description("How long a lease was held, by how it ended")
                .serviceLevelObjectives(MeterNames.asArray(MeterNames.LOCK_BUCKETS))
                .withRegistry(registry);
        this.waits = Timer.builder(MeterNames.LOCK_WAIT_SECONDS)
                .description("How long a request waited in the queue, by how the wait ended")
                .serviceLevelObjectives(MeterNames.asArray(MeterNames.LOCK_BUCKETS))
                .withRegistry(registry);
    }

    /** How many namespaces the gauges remember counts of; forgotten namespaces are dropped. */
    int rememberedNamespaces() {
        return gauges.rememberedNamespaces();
    }

    @Override
    public void on(LockEvent event) {
        String label = labels.labelFor(event.namespace());
        if (primed.add(label)) {
            prime(label);
        }
        switch (event) {
            case LockEvent.WaitEnded w -> {
                String outcome = waitOutcome(w.outcome());
                if (outcome != null) {
                    record(waits, label, w.mode().wireName(), outcome, w.waitNanos());
                }
            }
            case LockEvent.LeaseEnded l ->
                record(holds, label, l.mode().wireName(), l.outcome().wireName(), l.holdNanos());
            case LockEvent.Counts c -> gauges.update(label, c);
            case LockEvent.Forgotten f -> gauges.forget(f.namespace());
        }
    }

    /**
     * Registers every mode and outcome of a new label at zero, so that {@code rate()} sees the first
     * expiry or timeout as an increase instead of a series that appears.
     */
    private void prime(String label) {
        for (Mode mode : Mode.values()) {
            for (String outcome : List.of("released", "expired", "revoked")) {
                holds.withTags("namespace", label, "mode", mode.wireName(), "outcome", outcome);
            }
            for (WaitEnd reason : WaitEnd.values()) {
                String outcome = waitOutcome(reason);
                if (outcome != null) {
                    waits.withTags("namespace", label, "mode", mode.wireName(), "outcome", outcome);
                }
            }
        }
    }

    /** The outcome label of a wait, or null for an end that is not recorded. */
    static String waitOutcome(WaitEnd reason) {
        return switch (reason) {
            case GRANTED -> "granted";
            case TIMED_OUT -> "timeout";
            case CANCELLED -> "cancelled";
            case ABANDONED -> "abandoned";
            case BUSY -> null;
        };
    }

    private static void record(MeterProvider<Timer> timers, String label, String mode, String outcome, long nanos) {
        timers.withTags("namespace", label, "mode", mode, "outcome", outcome)
                .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
