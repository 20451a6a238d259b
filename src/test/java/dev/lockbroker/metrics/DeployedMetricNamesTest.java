package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lockbroker.core.EndReason;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.LockEvent;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.file.FileLeaseLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every series that the alert rules and the Grafana dashboard query is one the broker exports, with
 * the label values they match on. The scrape comes from {@link BrokerMetrics} after events of every
 * kind and real store calls.
 */
class DeployedMetricNamesTest {
    /** Series Prometheus makes itself, and labels it adds at scrape time. */
    private static final Set<String> SYNTHETIC_SERIES = Set.of("up");
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    @TempDir
    Path dir;

    private final BrokerMetrics metrics = BrokerMetrics.create(10);
    private Scrape scrape;

    @BeforeEach
    void feed() {
        for (EndReason reason : EndReason.values()) {
            metrics.listener().on(new LockEvent.WaitEnded("orders", null, Mode.EXCLUSIVE, reason, 1_000_000));
            metrics.listener().on(new LockEvent.LeaseEnded("orders", null, Mode.SHARED, reason, 1_000_000));
        }
        metrics.listener().on(new LockEvent.Counts("orders", 1, 1, 0));
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
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(deploy("alerts.yml")));
        List<String> exprs = new ArrayList<>();
        rules.get("groups").forEach(g -> g.get("rules").forEach(r -> exprs.add(r.get("expr").asText())));
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(5);
        assertAllExported(exprs.stream().flatMap(e -> PromQl.selectors(e).stream()).toList());
    }

    @Test
    void dashboard_queries_only_exported_series() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(deploy("grafana/dashboards/lockbroker.json")));
        List<PromQl.Selector> selectors = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> selectors.addAll(PromQl.selectors(t.get("expr").asText()))));
        dashboard.get("templating").get("list").forEach(v -> {
            JsonNode query = v.get("query");
            selectors.addAll(PromQl.templateSelectors(query.isObject() ? query.get("query").asText() : query.asText()));
        });
        assertThat(selectors).hasSizeGreaterThanOrEqualTo(10);
        assertAllExported(selectors);
    }

    @Test
    void the_reader_finds_names_and_equality_matchers_but_not_functions_or_grouping_labels() {
        List<PromQl.Selector> found = PromQl.selectors(
                "sum by (namespace, le) (rate(a_bucket{outcome=\"expired\", ns=~\"$x\"}[5m])) / on (namespace) b > 0.5 unless c");
        assertThat(found.stream().map(PromQl.Selector::metric)).containsExactly("a_bucket", "b", "c");
        assertThat(found.getFirst().equalities()).containsExactly(new String[] {"outcome", "expired"});
    }

    private void assertAllExported(List<PromQl.Selector> selectors) {
        for (PromQl.Selector selector : selectors) {
            if (SYNTHETIC_SERIES.contains(selector.metric())) {
                continue;
            }
            assertThat(scrape.names()).as("series queried but not exported").contains(selector.metric());
            for (String[] equality : selector.equalities()) {
                if (!TARGET_LABELS.contains(equality[0])) {
                    assertThat(scrape.has(selector.metric(), equality))
                            .as("%s{%s=\"%s\"} is queried but never exported", selector.metric(), equality[0], equality[1])
                            .isTrue();
                }
            }
        }
    }

    private static Path deploy(String file) {
        Path path = Path.of("deploy").resolve(file);
        assertThat(path).exists();
        return path;
    }
}
