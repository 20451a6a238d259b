package dev.lockbroker.cluster;

import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockClientException;
import dev.lockbroker.client.LockRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The long checker, a main (not a test): {@code brokers} broker processes started at once on one
 * S3Proxy bucket, 16 clients, {@code cycles} rounds of (owner partitioned 8 s, owner frozen 8 s,
 * owner SIGKILLed and restarted 5 s later, store faults at the owner 6 s), 4 s of calm after each,
 * then the beliefs and the fairness checked, and the failover times printed; finally the owner of an
 * idle namespace SIGKILLed and the time until a survivor grants it measured. At most 30 minutes.
 * With {@code -Dlockbroker.cluster.legacy=true} the brokers run alone on the bucket.
 *
 * <pre>{@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.lockbroker.cluster.ClusterFaultsMain 3 5}</pre>
 */
public final class ClusterFaultsMain {
    private ClusterFaultsMain() {}

    public static void main(String[] args) throws Exception {
        int brokers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("cluster-faults");
        try (BrokerGroup group = BrokerGroup.start(dir, brokers, ClusterFaultsTest.OWNERSHIP_TTL_SECONDS, true)) {
            if (!BrokerGroup.LEGACY) {
                printOwners(group);
            }
            BeliefClients clients = new BeliefClients(group, "jepsen").start(16, Duration.ofMinutes(30));
            List<ClusterScenarios.Failover> failovers = new ArrayList<>();
            int moves = 0;
            for (int c = 0; c < cycles; c++) {
                ClusterScenarios.partition(group, clients, "jepsen", Duration.ofSeconds(8));
                Thread.sleep(4_000);
                ClusterScenarios.zombie(group, clients, "jepsen", Duration.ofSeconds(8));
                Thread.sleep(4_000);
                failovers.add(ClusterScenarios.killAndRestart(group, clients, "jepsen", Duration.ofSeconds(5)));
                Thread.sleep(4_000);
                moves += ClusterScenarios.storeFaults(group, clients, "jepsen", Duration.ofSeconds(6)) ? 1 : 0;
                Thread.sleep(4_000);
            }
            Beliefs.Report report = Beliefs.check(clients.stop());
            System.out.printf(
                    "%s, %d brokers started at once, %d cycles of partition + zombie + SIGKILL/restart + store faults:%n"
                            + "  safety: %s%n  fairness: %s%n  client errors %d; store faults moved the owner %d times%n",
                    BrokerGroup.LEGACY ? "legacy (no group)" : "group",
                    brokers,
                    cycles,
                    report,
                    clients.fairness(),
                    clients.failures(),
                    moves);
            for (ClusterScenarios.Failover f : failovers) {
                System.out.printf(
                        "  SIGKILL of the busy owner: answered by the group after %d ms, a heartbeat or grant after"
                                + " %d ms, first grant after %d ms%n",
                        f.answeredMillis(), f.servedMillis(), f.grantedMillis());
            }
            if (!BrokerGroup.LEGACY) {
                System.out.printf(
                        "  failover of an idle namespace after SIGKILL of its owner: %d ms%n", failoverMillis(group));
            }
        }
    }

    /** Who owns each partition as each broker sees it, once they agree (at most 10 s). */
    private static void printOwners(BrokerGroup group) throws InterruptedException {
        List<List<String>> views = List.of();
        for (int i = 0; i < 100; i++) {
            views = java.util.stream.IntStream.range(0, group.size())
                    .mapToObj(group::owners)
                    .toList();
            if (!views.get(0).contains("") && views.stream().distinct().count() == 1) {
                break;
            }
            Thread.sleep(100);
        }
        boolean agree = !views.get(0).contains("") && views.stream().distinct().count() == 1;
        System.out.printf("started at once: owners %s, all brokers agree: %s%n", views.get(0), agree);
    }

    /** SIGKILLs the owner of an idle namespace; the time until a survivor grants it. */
    private static long failoverMillis(BrokerGroup group) throws InterruptedException {
        String namespace = "failover";
        int owner = group.ownerOf(namespace, 0).orElseThrow();
        int survivor = (owner + 1) % group.size();
        LockClient client = LockClient.create(group.url(survivor), Optional.empty());
        long killed = System.nanoTime();
        group.broker(owner).kill();
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Lease lease = client.acquire(
                    LockRequest.exclusive(namespace, "k", Duration.ofSeconds(3)), Duration.ofSeconds(20))) {
                return (System.nanoTime() - killed) / 1_000_000;
            } catch (LockClientException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("no grant after the owner died");
    }
}
