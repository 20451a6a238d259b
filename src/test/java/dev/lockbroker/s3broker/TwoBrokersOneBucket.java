package dev.lockbroker.s3broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.Mode;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.ExclusionChecker;
import dev.lockbroker.support.HoldingClient;
import dev.lockbroker.support.InProcessBroker;
import dev.lockbroker.support.S3Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two brokers share one bucket and prefix and race to grant the same key: create-if-absent lets one
 * win each record number, so exclusive holds never overlap and tokens never repeat.
 */
abstract class TwoBrokersOneBucket {
    /** The server both brokers use, for one test; {@link #release} undoes what this made. */
    abstract S3Backend backend();

    void release() {}

    @AfterEach
    void releaseBackend() {
        release();
    }

    @Test
    void racing_brokers_never_grant_one_key_twice() throws Exception {
        LockKey key = new LockKey("shared-bucket", "k");
        S3Backend s3 = backend();
        String prefix = "race-" + UUID.randomUUID();
        try (InProcessBroker first = new InProcessBroker(s3.openLog(prefix), 1_000, 10_000);
                InProcessBroker second = new InProcessBroker(s3.openLog(prefix), 1_000, 10_000);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<HoldingClient> clients = List.of(
                    new HoldingClient(new ApiClient(first.url())), new HoldingClient(new ApiClient(second.url())));
            List<Future<List<ExclusionChecker.Hold>>> workers = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                HoldingClient client = clients.get(c % 2);
                workers.add(pool.submit(() -> {
                    List<ExclusionChecker.Hold> holds = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        holds.add(client.hold(0, key, Mode.EXCLUSIVE, 5));
                    }
                    return holds;
                }));
            }
            List<ExclusionChecker.Hold> holds = new ArrayList<>();
            for (Future<List<ExclusionChecker.Hold>> worker : workers) {
                holds.addAll(worker.get(120, TimeUnit.SECONDS));
            }
            assertThat(holds).hasSize(32);
            ExclusionChecker.check(holds);
        }
    }
}
