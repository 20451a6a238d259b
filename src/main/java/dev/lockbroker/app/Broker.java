package dev.lockbroker.app;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.core.LockService;
import dev.lockbroker.http.HttpApi;
import dev.lockbroker.http.HttpSettings;
import dev.lockbroker.http.RequestObserver;
import dev.lockbroker.store.file.FileLeaseLog;
import io.javalin.Javalin;
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
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Broker(LeaseLog log, String storeDescription, LockService service, Javalin http) {
        this.log = log;
        this.storeDescription = storeDescription;
        this.service = service;
        this.http = http;
    }

    static Broker start(BrokerConfig config) {
        LeaseLog log = openStore(config);
        String description = config.s3() == null ? "disk " + config.dataDir().toAbsolutePath() : "s3://" + config.s3().bucket() + "/" + config.s3().prefix();
        LockService.Settings settings = new LockService.Settings(config.ticketTtlSeconds() * 1000L, 600_000, 1_000);
        LockService service = new LockService(
                log, Clock.SYSTEM, Executors.newVirtualThreadPerTaskExecutor(), LockEventListener.NONE, settings,
                (namespace, e) -> LOG.warn("lease log write failed for namespace {}: {}", namespace, e.toString()));
        service.startSweeping(SWEEP_PERIOD_MILLIS);
        HttpSettings http = new HttpSettings(config.longPollSeconds() * 1000L, config.token(), RequestObserver.NONE, null);
        Javalin app = HttpApi.create(service, http).start(config.host(), config.port());
        Broker broker = new Broker(log, description, service, app);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "lockbroker-shutdown"));
        LOG.info("lockbroker serving on {}:{} with store {}", config.host(), app.port(), description);
        return broker;
    }

    private static LeaseLog openStore(BrokerConfig config) {
        if (config.s3() == null) {
            return new FileLeaseLog(config.dataDir());
        }
        throw new IllegalArgumentException("the S3 store is not built yet");
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
        service.close();
        http.stop();
        log.close();
        stopped.countDown();
    }
}
