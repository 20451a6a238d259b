package dev.lockbroker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockRequest;
import dev.lockbroker.support.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group's safety and fairness checker, short: two broker processes on one S3Proxy bucket,
 * each behind a fault relay, six clients of the
 * Java library on one exclusive key, and one fault each — the owner cut off from the store while its
 * clients heartbeat it, the owner frozen (SIGSTOP) past its ownership TTL and thawed, the owner
 * SIGKILLed and restarted, and store faults at the owner (500s, and answers lost after the write).
 * What the clients believed must never overlap, tokens must rise in grant order, grants must follow
 * join order and no waiter may wait on a free key ({@link Fairness}). ({@link ClusterFaultsMain}
 * runs the long version.) With {@code -Dlockbroker.cluster.legacy=true} the brokers run alone on
 * the bucket, as before groups: the partition then shows overlaps, and the order breaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class) // owners are checked before any fault moves them
class ClusterFaultsTest {
    static final int OWNERSHIP_TTL_SECONDS = 2;

    private BrokerGroup group;

    @BeforeAll
    void startGroup(@TempDir Path dir) throws Exception {
        // Started one after another: started at once (ClusterFaultsMain does), the redirect test
        // once saw the lease missing from the owner's status right after start-up (not explained yet).
        group = BrokerGroup.start(dir, 2, OWNERSHIP_TTL_SECONDS);
    }

    @AfterAll
    void stopGroup() throws InterruptedException {
        if (group != null) {
            group.close();
        }
    }

    @Test
    void a_non_owner_redirects_to_the_owner_and_the_client_library_follows() throws Exception {
        Assumptions.assumeFalse(BrokerGroup.LEGACY, "brokers alone on the bucket do not redirect");
        String namespace = "routed";
        int owner = awaitOwner(namespace);
        int other = 1 - owner;
        ApiClient viaOther = new ApiClient(group.url(other).toString());
        ApiClient.Reply redirect = viaOther.acquire(namespace, "{\"shard\":\"k\",\"holder\":{\"name\":\"r\"}}");
        assertThat(redirect.status()).isEqualTo(307);
        assertThat(redirect.location()).isEqualTo(group.url(owner) + "/v1/namespaces/" + namespace + "/leases");
        assertThat(viaOther.get("/v1/cluster").body().path("owners")).hasSize(dev.lockbroker.core.Partitions.COUNT);

        LockClient client = LockClient.create(group.url(other), Optional.empty());
        try (Lease lease =
                client.acquire(LockRequest.exclusive(namespace, "k", Duration.ofSeconds(5)), Duration.ofSeconds(10))) {
            assertThat(lease.isValid()).isTrue();
            assertThat(new ApiClient(group.url(owner).toString())
                            .get("/v1/namespaces/" + namespace + "/locks")
                            .body()
                            .path("holders")
                            .asInt())
                    .as("held at the owner")
                    .isEqualTo(1);
        }
    }

    @Test
    void a_group_agrees_on_one_owner_per_partition() throws Exception {
        Assumptions.assumeFalse(BrokerGroup.LEGACY, "brokers alone on the bucket own nothing");
        List<String> seenBy0 = List.of();
        for (int i = 0; i < 100; i++) { // each reads every partition once per TTL/3
            seenBy0 = group.owners(0);
            if (!seenBy0.contains("") && seenBy0.equals(group.owners(1))) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(seenBy0).as("as broker 0 sees them").doesNotContain("").isEqualTo(group.owners(1));
        System.out.println("[cluster checker] owners " + seenBy0);
    }

    private int awaitOwner(String namespace) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Optional<Integer> owner = group.ownerOf(namespace, 0);
            if (owner.isPresent()) {
                return owner.get();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no owner of " + namespace + " in 10 s");
    }

    @Test
    void a_partitioned_owner_stops_acknowledging_before_a_peer_grants_again() throws Exception {
        try (BeliefClients clients = new BeliefClients(group, "partitioned").start(6, Duration.ofSeconds(60))) {
            ClusterScenarios.partition(group, clients, "partitioned", Duration.ofSeconds(8));
            Thread.sleep(3_000); // healed: the group serves again
            assertClean(clients.stop(), clients);
        }
    }

    @Test
    void a_zombie_owner_thawed_after_its_ttl_acknowledges_nothing_a_peer_may_grant() throws Exception {
        try (BeliefClients clients = new BeliefClients(group, "zombie").start(6, Duration.ofSeconds(60))) {
            ClusterScenarios.zombie(group, clients, "zombie", Duration.ofSeconds(8));
            // Clients hang on the frozen owner until it thaws: the new owner loads the namespace then
            // and gives the leases it finds their grace (1.5 × 3 s + 1 s) before granting again.
            Thread.sleep(7_000);
            assertClean(clients.stop(), clients);
        }
    }

    @Test
    void an_owner_sigkilled_and_restarted_loses_no_safety_and_a_survivor_serves() throws Exception {
        try (BeliefClients clients = new BeliefClients(group, "killed").start(6, Duration.ofSeconds(60))) {
            ClusterScenarios.Failover failover =
                    ClusterScenarios.killAndRestart(group, clients, "killed", Duration.ofSeconds(2));
            Thread.sleep(1_000);
            System.out.println("[cluster checker] failover after SIGKILL of the owner: answered by the group after "
                    + failover.answeredMillis() + " ms, a heartbeat or grant after " + failover.servedMillis()
                    + " ms, first grant after " + failover.grantedMillis() + " ms");
            assertClean(clients.stop(), clients);
            assertThat(failover.answeredMillis())
                    .as("answered by a survivor within the ownership TTL + 2 s (measured; 3 s more for a loaded CI)")
                    .isBetween(0L, OWNERSHIP_TTL_SECONDS * 1_000L + 5_000);
            assertThat(failover.servedMillis()).as("served again").isNotNegative();
            assertThat(failover.grantedMillis()).as("granted again").isNotNegative();
        }
    }

    @Test
    void store_faults_at_the_owner_keep_safety_and_order() throws Exception {
        try (BeliefClients clients = new BeliefClients(group, "faulty").start(6, Duration.ofSeconds(60))) {
            boolean moved = ClusterScenarios.storeFaults(group, clients, "faulty", Duration.ofSeconds(3));
            Thread.sleep(2_000);
            System.out.println("[cluster checker] store faults moved the owner: " + moved);
            assertClean(clients.stop(), clients);
        }
    }

    private static void assertClean(List<Beliefs.Belief> beliefs, BeliefClients clients) {
        Beliefs.Report report = Beliefs.check(beliefs);
        Fairness.Report fairness = clients.fairness();
        System.out.println("[cluster checker] " + report + "; " + fairness + "; client errors " + clients.failures());
        assertThat(report.isClean()).as("%s", report).isTrue();
        assertThat(fairness.isClean()).as("%s", fairness).isTrue();
        assertThat(report.beliefs()).as("grants happened at all").isGreaterThan(2);
    }
}
