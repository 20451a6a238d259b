package dev.lockbroker.app;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Ownership;
import dev.lockbroker.core.OwnershipTimes;
import dev.lockbroker.core.Partitions;
import dev.lockbroker.metrics.ClusterMetrics;
import dev.lockbroker.store.s3.OwnershipCleanup;
import dev.lockbroker.store.s3.S3OwnershipLog;
import dev.lockbroker.store.s3.S3Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's membership of a group on one bucket: the ownership loop over the S3 ownership logs,
 * wired to evict a partition's namespaces from memory whenever its owner changes (so a new tenure
 * loads them afresh from the log, with a restart's grace).
 */
record ClusterWiring(Ownership ownership, ClusterMetrics metrics) {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWiring.class);

    static ClusterWiring prepare(BrokerConfig config, S3Settings s3, LockService service, MeterRegistry registry) {
        ClusterMetrics metrics = new ClusterMetrics(registry);
        BrokerConfig.Cluster cluster = config.cluster();
        long ttlMillis = cluster.ownershipTtlSeconds() * 1000L;
        S3OwnershipLog log = S3OwnershipLog.open(s3, OwnershipCleanup.forTtl(ttlMillis));
        Ownership ownership = new Ownership(
                log,
                cluster.brokerId(),
                new OwnershipTimes(ttlMillis),
                Clock.SYSTEM,
                Executors.newVirtualThreadPerTaskExecutor(),
                new Ownership.Listener() {
                    @Override
                    public void gained(int partition) {
                        service.evict(namespace -> Partitions.of(namespace) == partition);
                        metrics.ownershipGained();
                        LOG.info("gained partition {}", partition);
                    }

                    @Override
                    public void lost(int partition) {
                        service.evict(namespace -> Partitions.of(namespace) == partition);
                        metrics.ownershipLost();
                        LOG.info("lost partition {}", partition);
                    }
                });
        return new ClusterWiring(ownership, metrics); // the ownership loop closes its log
    }

    /** Starts the loop once the port is known; the advertised URL defaults to this host and port. */
    Ownership start(BrokerConfig config, int port) {
        String url = config.cluster().advertiseUrl() != null
                ? config.cluster().advertiseUrl()
                : "http://" + (config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host()) + ":" + port;
        LOG.info("broker {} in a group, advertising {}", config.cluster().brokerId(), url);
        return ownership.start(url);
    }
}
