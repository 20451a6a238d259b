package dev.lockbroker.support;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.LockSettings;
import dev.lockbroker.http.HttpApi;
import dev.lockbroker.http.HttpSettings;
import dev.lockbroker.http.RequestObserver;
import io.javalin.Javalin;
import java.util.concurrent.Executors;

/** The broker's core and HTTP API in this JVM, on a free loopback port, over a given lease log. */
public final class InProcessBroker implements AutoCloseable {
    private final LeaseLog log;
    private final LockService service;
    private final Javalin http;
    private final String scheme;

    public InProcessBroker(LeaseLog log, long longPollMillis, long ticketTtlMillis) {
        this(log, longPollMillis, ticketTtlMillis, LockEventListener.NONE, null);
    }

    public InProcessBroker(
            LeaseLog log, long longPollMillis, long ticketTtlMillis, LockEventListener listener, String token) {
        this(log, new HttpSettings(longPollMillis, token, RequestObserver.NONE, null), ticketTtlMillis, listener);
    }

    public InProcessBroker(LeaseLog log, HttpSettings settings, long ticketTtlMillis, LockEventListener listener) {
        this.log = log;
        this.service = new LockService(
                log,
                Clock.SYSTEM,
                Executors.newVirtualThreadPerTaskExecutor(),
                listener,
                new LockSettings(ticketTtlMillis, 600_000, 1_000),
                (ns, e) -> {});
        service.startSweeping(20);
        this.http = HttpApi.create(service, settings).start("127.0.0.1", 0);
        this.scheme = settings.tls() == null ? "http" : "https";
    }

    public int port() {
        return http.port();
    }

    public String url() {
        return scheme + "://127.0.0.1:" + http.port();
    }

    public LockService service() {
        return service;
    }

    /** Stops serving without closing the lease log, as a crash would leave it. */
    public void stop() {
        service.close();
        http.stop();
    }

    @Override
    public void close() {
        stop();
        log.close();
    }
}
