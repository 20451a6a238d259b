package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The series selectors in deploy/alerts.yml and the Grafana dashboard, and the check that a scrape has them. */
final class DeployQueries {
    /** Series Prometheus makes itself, and labels it adds at scrape time. */
    private static final Set<String> SYNTHETIC_SERIES = Set.of("up");

    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private DeployQueries() {}

    static List<PromQl.Selector> alertSelectors() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(deploy("alerts.yml")));
        List<PromQl.Selector> selectors = new ArrayList<>();
        rules.get("groups")
                .forEach(g -> g.get("rules")
                        .forEach(r ->
                                selectors.addAll(PromQl.selectors(r.get("expr").asText()))));
        return selectors;
    }

    static List<PromQl.Selector> dashboardSelectors() throws IOException {
        JsonNode dashboard =
                new ObjectMapper().readTree(Files.readString(deploy("grafana/dashboards/lockbroker.json")));
        List<PromQl.Selector> selectors = new ArrayList<>();
        dashboard
                .get("panels")
                .forEach(p -> p.get("targets")
                        .forEach(t ->
                                selectors.addAll(PromQl.selectors(t.get("expr").asText()))));
        dashboard.get("templating").get("list").forEach(v -> {
            JsonNode query = v.get("query");
            selectors.addAll(PromQl.templateSelectors(
                    query.isObject() ? query.get("query").asText() : query.asText()));
        });
        return selectors;
    }

    static void assertExported(Scrape scrape, List<PromQl.Selector> selectors) {
        for (PromQl.Selector selector : selectors) {
            if (SYNTHETIC_SERIES.contains(selector.metric())) {
                continue;
            }
            assertThat(scrape.names()).as("series queried but not exported").contains(selector.metric());
            for (String[] equality : selector.equalities()) {
                if (!TARGET_LABELS.contains(equality[0])) {
                    assertThat(scrape.has(selector.metric(), equality))
                            .as(
                                    "%s{%s=\"%s\"} is queried but never exported",
                                    selector.metric(), equality[0], equality[1])
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
