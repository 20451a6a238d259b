package dev.lockbroker.cluster;

import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockClientException;
import dev.lockbroker.client.LockRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The long checker, a main (not a test): {@code brokers} broker processes on one S3Proxy bucket,
 * 16 clients, {@code cycles} rounds of (owner partitioned 8 s, 4 s healed, owner frozen 8 s, 4 s
 * thawed), then the beliefs checked; finally the owner of an idle namespace SIGKILLed and the time
 * until a survivor grants it measured. With {@code -Dlockbroker.cluster.legacy=true} the brokers run
 * alone on the bucket.
 *
 * <pre>{@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.lockbroker.cluster.ClusterFaultsMain 3 5}</pre>
 */
public final class ClusterFaultsMain {
    private ClusterFaultsMain() {}

    public static void main(String[] args) throws Exception {
        int brokers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("cluster-faults");
        try (BrokerGroup group = BrokerGroup.start(dir, brokers, ClusterFaultsTest.OWNERSHIP_TTL_SECONDS)) {
            BeliefClients clients = new BeliefClients(group, "jepsen").start(16, Duration.ofMinutes(30));
            int partitions = 0;
            int zombies = 0;
            for (int c = 0; c < cycles; c++) {
                ClusterScenarios.partition(group, clients, "jepsen", Duration.ofSeconds(8));
                partitions++;
                Thread.sleep(4_000);
                ClusterScenarios.zombie(group, clients, "jepsen", Duration.ofSeconds(8));
                zombies++;
                Thread.sleep(4_000);
            }
            Beliefs.Report report = Beliefs.check(clients.stop());
            System.out.printf(
                    "%s, %d brokers, %d partitions + %d zombies: %s; client errors %d%n",
                    BrokerGroup.LEGACY ? "legacy (no group)" : "group",
                    brokers,
                    partitions,
                    zombies,
                    report,
                    clients.failures());
            if (!BrokerGroup.LEGACY) {
                System.out.printf("failover after SIGKILL of the owner: %d ms%n", failoverMillis(group));
            }
        }
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
