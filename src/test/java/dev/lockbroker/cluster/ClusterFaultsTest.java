package dev.lockbroker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group's safety checker, short: two broker processes on one S3Proxy bucket, each behind a
 * fault relay, six clients of the Java library on one exclusive key, and one fault each — the
 * owner cut off from the store while its clients heartbeat it, and the owner frozen (SIGSTOP) past
 * its ownership TTL and thawed. What the clients believed must never overlap, and tokens must rise
 * in grant order. ({@link ClusterFaultsMain} runs the long version.) With {@code
 * -Dlockbroker.cluster.legacy=true} the brokers run alone on the bucket, as before groups: the
 * partition then shows overlaps.
 */
class ClusterFaultsTest {
    static final int OWNERSHIP_TTL_SECONDS = 2;
    private static final String NAMESPACE = "jepsen";

    @TempDir
    Path dir;

    @Test
    void a_partitioned_owner_stops_acknowledging_before_a_peer_grants_again() throws Exception {
        try (BrokerGroup group = BrokerGroup.start(dir, 2, OWNERSHIP_TTL_SECONDS);
                BeliefClients clients = new BeliefClients(group, NAMESPACE).start(6, Duration.ofSeconds(60))) {
            ClusterScenarios.partition(group, clients, NAMESPACE, Duration.ofSeconds(8));
            Thread.sleep(4_000); // healed: the group serves again
            assertClean(clients.stop(), clients, group);
        }
    }

    @Test
    void a_zombie_owner_thawed_after_its_ttl_acknowledges_nothing_a_peer_may_grant() throws Exception {
        try (BrokerGroup group = BrokerGroup.start(dir, 2, OWNERSHIP_TTL_SECONDS);
                BeliefClients clients = new BeliefClients(group, NAMESPACE).start(6, Duration.ofSeconds(60))) {
            ClusterScenarios.zombie(group, clients, NAMESPACE, Duration.ofSeconds(8));
            Thread.sleep(4_000);
            assertClean(clients.stop(), clients, group);
        }
    }

    private static void assertClean(List<Beliefs.Belief> beliefs, BeliefClients clients, BrokerGroup group) {
        Beliefs.Report report = Beliefs.check(beliefs);
        System.out.println("[cluster checker] " + report + "; client errors " + clients.failures());
        assertThat(report.isClean()).as("%s", report).isTrue();
        assertThat(report.beliefs()).as("grants happened at all").isGreaterThan(2);
    }
}
