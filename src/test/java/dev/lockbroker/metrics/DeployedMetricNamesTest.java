package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.EndReason;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.LockEvent;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.file.FileLeaseLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every series that the alert rules and the Grafana dashboard query is one the broker exports, with
 * the label values they match on. The scrape comes from {@link BrokerMetrics} after events of every
 * kind and real store calls; {@link BrokerOverHttpMetricsTest} checks the same against a real broker.
 */
class DeployedMetricNamesTest {
    @TempDir
    Path dir;

    private final BrokerMetrics metrics = BrokerMetrics.create(10);
    private Scrape scrape;

    @BeforeEach
    void feed() {
        for (EndReason.WaitEnd reason : EndReason.WaitEnd.values()) {
            metrics.listener().on(new LockEvent.WaitEnded("orders", null, Mode.EXCLUSIVE, reason, 1_000_000));
        }
        for (EndReason.LeaseEnd reason : EndReason.LeaseEnd.values()) {
            metrics.listener().on(new LockEvent.LeaseEnded("orders", null, Mode.SHARED, reason, 1_000_000));
        }
        metrics.listener().on(new LockEvent.Counts("orders", 1, 1, 1, 0));
        try (LeaseLog log = metrics.wrap(new FileLeaseLog(dir))) {
            log.checkReachable();
            log.append("orders", new LeaseRecord(1, 1, 0, List.of()));
            log.append("orders", new LeaseRecord(1, 1, 0, List.of()));
            log.latestAfter("orders", 0);
            log.latestAfter("orders", 1);
        }
        metrics.http().observe("GET", "/healthz", 200, 1_000_000);
        scrape = Scrape.parse(metrics.scrape());
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void alert_rules_query_only_exported_series() throws IOException {
        List<PromQl.Selector> selectors = DeployQueries.alertSelectors();
        assertThat(selectors).hasSizeGreaterThanOrEqualTo(10);
        DeployQueries.assertExported(scrape, selectors);
    }

    @Test
    void dashboard_queries_only_exported_series() throws IOException {
        List<PromQl.Selector> selectors = DeployQueries.dashboardSelectors();
        assertThat(selectors).hasSizeGreaterThanOrEqualTo(10);
        DeployQueries.assertExported(scrape, selectors);
    }

    @Test
    void the_reader_finds_names_and_equality_matchers_but_not_functions_or_grouping_labels() {
        List<PromQl.Selector> found = PromQl.selectors(
                "sum by (namespace, le) (rate(a_bucket{outcome=\"expired\", ns=~\"$x\"}[5m])) / on (namespace) b > 0.5 unless c");
        assertThat(found.stream().map(PromQl.Selector::metric)).containsExactly("a_bucket", "b", "c");
        assertThat(found.getFirst().equalities()).containsExactly(new String[] {"outcome", "expired"});
    }
}
