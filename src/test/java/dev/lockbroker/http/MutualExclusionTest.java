package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.ExclusionChecker;
import dev.lockbroker.support.HoldingClient;
import dev.lockbroker.support.InProcessBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 concurrent clients over real sockets record (token, start, end) inside their critical
 * sections; the checker proves mutual exclusion, token order and FIFO grant order.
 */
class MutualExclusionTest {
    private static final int CLIENTS = 32;

    @TempDir
    Path dir;

    @Test
    void thirty_two_clients_on_one_key_hold_one_at_a_time_in_enqueue_order() throws Exception {
        List<LockKey> keys = new ArrayList<>();
        List<Mode> modes = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            keys.add(new LockKey("mutex", "k"));
            modes.add(Mode.EXCLUSIVE);
        }
        ExclusionChecker.check(runQueued("mutex", keys, modes));
    }

    @Test
    void a_mix_of_shard_and_whole_namespace_shared_and_exclusive_requests_stays_safe_and_fair() throws Exception {
        Random random = new Random(20261124);
        String[] shards = {null, "a", "b", "c"};
        List<LockKey> keys = new ArrayList<>();
        List<Mode> modes = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            keys.add(new LockKey("mixed", shards[random.nextInt(shards.length)]));
            modes.add(random.nextInt(3) == 0 ? Mode.EXCLUSIVE : Mode.SHARED);
        }
        List<ExclusionChecker.Hold> holds = runQueued("mixed", keys, modes);
        ExclusionChecker.check(holds);
        assertThat(holds.stream().filter(h -> h.mode() == Mode.SHARED).count()).isPositive();
    }

    /**
     * Blocks the namespace with a whole-namespace exclusive lease, queues the clients one by one (so
     * the enqueue order is known), then releases the blocker and lets them run.
     */
    private List<ExclusionChecker.Hold> runQueued(String namespace, List<LockKey> keys, List<Mode> modes)
            throws Exception {
        try (InProcessBroker broker = new InProcessBroker(new FileLeaseLog(dir), 1_000, 5_000);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            ApiClient api = new ApiClient(broker.url());
            var blocker = api.acquire(namespace, "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"blocker\"}}");
            assertThat(blocker.status()).isEqualTo(201);
            HoldingClient client = new HoldingClient(api);
            List<Future<ExclusionChecker.Hold>> holds = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                int order = i;
                holds.add(pool.submit(() -> client.hold(order, keys.get(order), modes.get(order), 3)));
                awaitWaiting(broker.service(), namespace, i + 1);
            }
            assertThat(api.delete(blocker.location()).status()).isEqualTo(204);
            List<ExclusionChecker.Hold> result = new ArrayList<>();
            for (Future<ExclusionChecker.Hold> hold : holds) {
                result.add(hold.get(60, TimeUnit.SECONDS));
            }
            return result;
        }
    }

    private static void awaitWaiting(LockService service, String namespace, int expected) throws InterruptedException {
        for (int i = 0; i < 1_000 && service.status(namespace).waiting() < expected; i++) {
            Thread.sleep(2);
        }
        assertThat(service.status(namespace).waiting()).isEqualTo(expected);
    }
}
