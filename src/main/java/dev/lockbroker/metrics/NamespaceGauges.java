package dev.lockbroker.metrics;

import dev.lockbroker.core.LockEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue-depth and active-lease gauges, one set per namespace label. A labelled namespace's gauges
 * show its latest {@link LockEvent.Counts}; the {@code _other} gauges show the sum over every folded
 * namespace. Gauges are registered once and then only change value, so an emptied namespace reads 0.
 *
 * <p>Concurrency contract: gauge values are atomics. The newest counts of each namespace live in
 * {@code latest}; {@link ConcurrentHashMap#compute} serialises the updates of one namespace, which
 * add exactly their change to the label's values, and an update older than the one applied (core
 * delivers events outside its lock, so they can arrive out of order) changes nothing.
 */
final class NamespaceGauges {
    private record Values(AtomicLong waiting, AtomicLong exclusive, AtomicLong shared) {}

    private final MeterRegistry registry;
    private final Map<String, Values> byLabel = new ConcurrentHashMap<>();
    private final Map<String, LockEvent.Counts> latest = new ConcurrentHashMap<>();

    NamespaceGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void update(String label, LockEvent.Counts counts) {
        Values values = byLabel.computeIfAbsent(label, this::register);
        latest.compute(counts.namespace(), (namespace, previous) -> {
            if (previous != null && previous.version() >= counts.version()) {
                return previous;
            }
            values.waiting.addAndGet(counts.waiting() - (previous == null ? 0 : previous.waiting()));
            values.exclusive.addAndGet(counts.exclusiveHeld() - (previous == null ? 0 : previous.exclusiveHeld()));
            values.shared.addAndGet(counts.sharedHeld() - (previous == null ? 0 : previous.sharedHeld()));
            return counts;
        });
    }

    /**
     * Drops what is remembered of a namespace the core forgot. Its counts were zero, and any later
     * counts carry higher versions (they are global), so nothing stale can be applied after this.
     */
    int rememberedNamespaces() {
        return latest.size();
    }

    void forget(String namespace) {
        latest.computeIfPresent(namespace, (n, last) -> isEmpty(last) ? null : last);
    }

    private static boolean isEmpty(LockEvent.Counts counts) {
        return counts.waiting() == 0 && counts.exclusiveHeld() == 0 && counts.sharedHeld() == 0;
    }

    private Values register(String label) {
        Values values = new Values(new AtomicLong(), new AtomicLong(), new AtomicLong());
        gauge(MeterNames.QUEUE_DEPTH, "Requests waiting in the namespace's queue", values.waiting, label, null);
        gauge(MeterNames.LEASES_ACTIVE, "Leases held in the namespace", values.exclusive, label, "exclusive");
        gauge(MeterNames.LEASES_ACTIVE, "Leases held in the namespace", values.shared, label, "shared");
        return values;
    }

    private void gauge(String name, String description, AtomicLong value, String label, String mode) {
        Gauge.Builder<AtomicLong> builder = Gauge.builder(name, value, AtomicLong::get)
                .description(description)
                .tag("namespace", label)
                .strongReference(true);
        if (mode != null) {
            builder.tag("mode", mode);
        }
        builder.register(registry);
    }
}
