package dev.lockbroker.app;

import dev.lockbroker.cli.JvmSignals;
import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.LockSettings;
import dev.lockbroker.core.Ownership;
import dev.lockbroker.http.AccessControl;
import dev.lockbroker.http.HttpApi;
import dev.lockbroker.http.HttpSettings;
import dev.lockbroker.metrics.BrokerMetrics;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.store.s3.S3LeaseLog;
import dev.lockbroker.store.s3.S3Settings;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running broker: the only place that knows every piece and wires them together. */
final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    private static final long SWEEP_PERIOD_MILLIS = 50;

    private final LeaseLog log;
    private final LockService service;
    private final Javalin http;
    private final String storeDescription;
    private final BrokerMetrics metrics;
    /** Null for a broker alone. */
    private final Ownership ownership;

    private final CountDownLatch stopped = new CountDownLatch(1);

    private Broker(
            LeaseLog log,
            String storeDescription,
            LockService service,
            Javalin http,
            BrokerMetrics metrics,
            Ownership ownership) {
        this.log = log;
        this.ownership = ownership;
        this.metrics = metrics;
        this.storeDescription = storeDescription;
        this.service = service;
        this.http = http;
    }

    static Broker start(BrokerConfig config) {
        BrokerMetrics metrics = BrokerMetrics.create(config.metricsMaxNamespaces());
        LeaseLog store = openStore(config);
        if (store instanceof S3LeaseLog s3) {
            metrics.countStoreRequests(s3.requestCounts());
        }
        LeaseLog log = metrics.wrap(store);
        String description = config.s3() == null
                ? "disk " + config.dataDir().toAbsolutePath()
                : "s3://" + config.s3().bucket() + "/" + config.s3().prefix();
        BrokerConfig.Limits limits = config.limits();
        LockSettings settings = new LockSettings(
                config.ticketTtlSeconds() * 1000L,
                600_000,
                peerRefreshMillis(config),
                limits.maxQueuedPerNamespace(),
                limits.maxTickets(),
                limits.maxNamespaces());
        LockService service = new LockService(
                log,
                Clock.SYSTEM,
                Executors.newVirtualThreadPerTaskExecutor(),
                metrics.listener(),
                settings,
                (namespace, e) -> LOG.warn("lease log write failed for namespace {}: {}", namespace, e.toString()));
        service.startSweeping(SWEEP_PERIOD_MILLIS);
        AccessControl access = AccessControl.of(config.tokensFile(), config.token());
        reloadOnHangup(access);
        HttpSettings http = new HttpSettings(
                config.longPollSeconds() * 1000L,
                access,
                metrics.http()::observe,
                metrics::scrape,
                config.headerTimeoutSeconds() * 1000L,
                limits.requestsPerSecondPerToken(),
                metrics::limitRefused,
                limits.maxQueuedPerToken(),
                config.tls());
        Javalin app;
        Ownership ownership = null;
        if (config.cluster() == null) {
            app = HttpApi.create(service, http).start(config.host(), config.port());
        } else {
            // The port is known only once listening; nothing is answered locally before the first claim.
            ClusterWiring cluster = ClusterWiring.prepare(config, s3Settings(config), service, metrics.registry());
            app = HttpApi.create(service, http, cluster.ownership(), cluster.metrics()::request)
                    .start(config.host(), config.port());
            ownership = cluster.start(config, app.port());
        }
        Broker broker = new Broker(log, description, service, app, metrics, ownership);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "lockbroker-shutdown"));
        LOG.info(
                "lockbroker serving {} on {}:{} with store {}",
                config.tls() == null ? "plain HTTP" : "HTTPS (" + config.tls() + ")",
                config.host(),
                app.port(),
                description);
        return broker;
    }

    /** {@code kill -HUP} re-reads the token file; a bad file keeps the tokens in force. */
    private static void reloadOnHangup(AccessControl access) {
        try {
            JvmSignals.handle("HUP", (name, number) -> access.reload());
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP is not available here; token file changes need a restart");
        }
    }

    private static LeaseLog openStore(BrokerConfig config) {
        if (config.s3() == null) {
            return new FileLeaseLog(config.dataDir());
        }
        return S3LeaseLog.open(s3Settings(config));
    }

    /**
     * How often a namespace with waiters blocked behind holders reads the log for a peer's release.
     * Brokers alone on a bucket may share it with peers that write any namespace; in a group only
     * the owner writes (a fenced one acknowledges nothing), so the read would only ever find
     * nothing: at 200 busy namespaces it was a GET per namespace per second, more than the grants.
     */
    private static long peerRefreshMillis(BrokerConfig config) {
        return config.cluster() == null ? 1_000 : 0;
    }

    private static S3Settings s3Settings(BrokerConfig config) {
        BrokerConfig.S3 s3 = config.s3();
        URI endpoint = s3.endpoint() == null || s3.endpoint().isBlank() ? null : URI.create(s3.endpoint());
        return new S3Settings(
                endpoint,
                s3.region(),
                s3.bucket(),
                s3.prefix(),
                s3.pathStyle(),
                s3.createBucket(),
                Duration.ofMillis(s3.callTimeoutMillis()));
    }

    int port() {
        return http.port();
    }

    String storeDescription() {
        return storeDescription;
    }

    void awaitShutdown() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking requests, answers parked long-polls with 503, then stops the server and the store. */
    void stop() {
        LOG.info("lockbroker shutting down");
        if (ownership != null) {
            ownership.close(); // fenced and handed back first, so peers take over at once
        }
        service.close();
        http.stop();
        log.close();
        metrics.close();
        stopped.countDown();
    }
}
