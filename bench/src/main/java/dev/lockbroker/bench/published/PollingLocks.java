package dev.lockbroker.bench.published;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/** The swamp-style polling lock on S3Proxy: one lock object per key, {@code locks/KEY.lock}. */
final class PollingLocks implements LockSystem {
    private final URI endpoint;
    private final long ttlMillis;
    private final long retryIntervalMillis;
    private final Map<Integer, S3Client> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "polling-heartbeats");
        t.setDaemon(true);
        return t;
    });

    PollingLocks(URI endpoint, long ttlMillis, long retryIntervalMillis) {
        this.endpoint = endpoint;
        this.ttlMillis = ttlMillis;
        this.retryIntervalMillis = retryIntervalMillis;
    }

    @Override
    public Locker locker(int connection) {
        S3Client s3 = clients.computeIfAbsent(connection, c -> BenchS3.client(endpoint));
        Map<String, PollingS3Lock> locks = new HashMap<>();
        return new Locker() {
            private PollingS3Lock held;

            @Override
            public boolean acquire(String key, long deadlineNanos) throws InterruptedException {
                PollingS3Lock lock = locks.computeIfAbsent(
                        key,
                        k -> new PollingS3Lock(s3, "locks/" + k + ".lock", ttlMillis, retryIntervalMillis, heartbeats));
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (lock.acquire(Math.max(0, Math.min(PollingS3Lock.DEFAULT_MAX_WAIT_MILLIS, leftMillis)))) {
                    held = lock;
                    return true;
                }
                return false;
            }

            @Override
            public void release() {
                held.release();
                held = null;
            }
        };
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        clients.values().forEach(S3Client::close);
    }
}
