package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerMetricsTest {
    private static final String HTTP = "lockbroker_http_server_requests_seconds";
    private final BrokerMetrics metrics = BrokerMetrics.create(10);

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void requests_are_recorded_by_method_route_pattern_and_status() {
        metrics.http().observe("POST", "/v1/locks/{namespace}/acquire", 200, 20_000_000);
        metrics.http().observe("POST", "/v1/locks/{namespace}/acquire", 200, 2_000_000);
        metrics.http().observe("POST", "/v1/locks/{namespace}/acquire", 409, 1_000_000);
        Scrape s = Scrape.parse(metrics.scrape());
        String[] ok = {"method", "POST", "route", "/v1/locks/{namespace}/acquire", "status", "200"};
        assertThat(s.value(HTTP + "_count", ok)).isEqualTo(2);
        assertThat(s.value(HTTP + "_bucket", "status", "200", "le", "0.01")).isEqualTo(1);
        assertThat(s.value(HTTP + "_bucket", "status", "200", "le", "0.025")).isEqualTo(2);
        assertThat(s.value(HTTP + "_count", "status", "409")).isEqualTo(1);
    }

    @Test
    void unmatched_routes_and_odd_methods_fold_into_fixed_values() {
        metrics.http().observe("BREW", "", 404, 1_000);
        metrics.http().observe("GET", null, 404, 1_000);
        Scrape s = Scrape.parse(metrics.scrape());
        assertThat(s.value(HTTP + "_count", "method", "OTHER", "route", "unmatched", "status", "404"))
                .isEqualTo(1);
        assertThat(s.value(HTTP + "_count", "method", "GET", "route", "unmatched", "status", "404"))
                .isEqualTo(1);
    }

    @Test
    void jvm_and_process_meters_are_exported() {
        Scrape s = Scrape.parse(metrics.scrape());
        assertThat(s.names())
                .contains(
                        "jvm_memory_used_bytes",
                        "jvm_threads_live_threads",
                        "jvm_gc_memory_allocated_bytes_total",
                        "process_cpu_usage",
                        "system_cpu_count",
                        "process_uptime_seconds");
    }
}
