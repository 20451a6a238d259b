package dev.lockbroker.metrics;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Everything the broker measures, over one Prometheus registry: the lock listener, the store timer,
 * the HTTP server histogram and the JVM binders. {@link #scrape()} is the body of {@code GET /metrics}.
 */
public final class BrokerMetrics implements AutoCloseable {
    /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final List<LongSupplier> storeRequestCounts = new CopyOnWriteArrayList<>();
    private final MetricsListener listener;
    private final HttpServerMetrics http;
    private final JvmGcMetrics gc;
    private final Clock clock;

    private BrokerMetrics(PrometheusMeterRegistry registry, int maxNamespaceLabels, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.listener = new MetricsListener(registry, maxNamespaceLabels);
        this.http = new HttpServerMetrics(registry);
        this.gc = new JvmGcMetrics();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        MeterNames.LIMITS.forEach(limit -> registry.counter(MeterNames.LIMIT_REFUSALS, "limit", limit));
    }

    /** A new registry with every meter; at most {@code maxNamespaceLabels} namespaces get their own label. */
    public static BrokerMetrics create(int maxNamespaceLabels) {
        return create(maxNamespaceLabels, Clock.SYSTEM);
    }

    /** As {@link #create(int)}, timing store calls with {@code clock}. */
    public static BrokerMetrics create(int maxNamespaceLabels, Clock clock) {
        return new BrokerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), maxNamespaceLabels, clock);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public MetricsListener listener() {
        return listener;
    }

    public HttpServerMetrics http() {
        return http;
    }

    /** Counts a request refused with 429 by {@code limit} (one of {@link MeterNames#LIMITS}). */
    public void limitRefused(String limit) {
        registry.counter(MeterNames.LIMIT_REFUSALS, "limit", limit).increment();
    }

    /** {@code log}, timed. */
    public LeaseLog wrap(LeaseLog log) {
        return new TimedLeaseLog(log, registry, clock);
    }

    /** Counts the S3 store's requests, from its own counters, as {@code lockbroker_store_s3_requests_total{kind}}. */
    public void countStoreRequests(Map<String, LongSupplier> counts) {
        storeRequestCounts.addAll(counts.values()); // a function counter holds its object weakly
        counts.forEach(
                (kind, count) -> FunctionCounter.builder(MeterNames.STORE_S3_REQUESTS, count, LongSupplier::getAsLong)
                        .description("S3 requests of the lease log (every attempt, background work included), by kind")
                        .tag("kind", kind)
                        .register(registry));
    }

    /** Every meter in Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
