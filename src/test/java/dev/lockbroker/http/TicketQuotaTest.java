package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.Clock;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.LockSettings;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.file.FileLeaseLog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-token quota counts a queued ticket from the moment the core names it: a waiter whose
 * long-poll is cancelled (its connection failed, an idle timeout) leaves its ticket queued for the
 * ticket TTL, and that ticket still takes a place of its token.
 */
class TicketQuotaTest {
    private static final Caller CI = new Caller("ci", Role.CLIENT, List.of(Caller.glob("*")));

    @TempDir
    Path dir;

    private LockService service;

    @BeforeEach
    void start() {
        service = new LockService(
                new FileLeaseLog(dir),
                Clock.SYSTEM,
                Executors.newVirtualThreadPerTaskExecutor(),
                LockEventListener.NONE,
                LockSettings.defaults(),
                (ns, e) -> {});
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void a_cancelled_long_poll_keeps_its_ticket_counted_against_its_token() {
        TicketQuota quota = new TicketQuota(service, 2);
        assertThat(service.acquire(request("held"), 0)).isInstanceOf(AcquireOutcome.Granted.class);
        for (String waiter : List.of("w1", "w2")) {
            CompletableFuture<AcquireOutcome> parked =
                    quota.acquire(CI, System.nanoTime(), () -> service.acquirePending(request(waiter), 20_000));
            assertThat(parked).isNotDone();
            parked.cancel(false); // the waiter's connection failed: its ticket stays queued
        }
        assertThat(quota.queuedOf("ci")).as("both tickets still queued").isEqualTo(2);
        assertThatThrownBy(
                        () -> quota.acquire(CI, System.nanoTime(), () -> service.acquirePending(request("w3"), 20_000)))
                .isInstanceOf(QueuedPerTokenException.class);
    }

    private static LeaseRequest request(String requestId) {
        return new LeaseRequest(
                LockKey.whole("quota"), Mode.EXCLUSIVE, 30_000, 60_000, new Holder(requestId, null, null), requestId);
    }
}
