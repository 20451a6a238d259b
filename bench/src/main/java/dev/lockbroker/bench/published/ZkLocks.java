package dev.lockbroker.bench.published;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;

/** ZooKeeper through Curator's InterProcessMutex (ephemeral sequential nodes, watch the predecessor). */
final class ZkLocks implements LockSystem {
    private final String connectString;
    private final int sessionTimeoutMillis;
    private final Map<Integer, CuratorFramework> sessions = new ConcurrentHashMap<>();

    ZkLocks(String connectString, long ttlMillis) {
        this.connectString = connectString;
        this.sessionTimeoutMillis = (int) ttlMillis;
    }

    @Override
    public Locker locker(int connection) throws InterruptedException {
        CuratorFramework session = sessions.computeIfAbsent(connection, c -> {
            CuratorFramework f = CuratorFrameworkFactory.builder()
                    .connectString(connectString)
                    .sessionTimeoutMs(sessionTimeoutMillis)
                    .connectionTimeoutMs(Math.min(10_000, sessionTimeoutMillis))
                    .retryPolicy(new RetryNTimes(3, 100))
                    .build();
            f.start();
            return f;
        });
        if (!session.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no ZooKeeper session with " + connectString + " in 30 s");
        }
        return new ZkLocker(session);
    }

    @Override
    public void close() {
        sessions.values().forEach(CuratorFramework::close);
    }

    private static final class ZkLocker implements Locker {
        private final CuratorFramework session;
        private final Map<String, InterProcessMutex> mutexes = new HashMap<>();
        private InterProcessMutex held;

        ZkLocker(CuratorFramework session) {
            this.session = session;
        }

        @Override
        public boolean acquire(String key, long deadlineNanos) throws Exception {
            InterProcessMutex mutex = mutexes.computeIfAbsent(key, k -> new InterProcessMutex(session, "/locks/" + k));
            if (mutex.acquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                held = mutex;
                return true;
            }
            return false;
        }

        @Override
        public void release() throws Exception {
            held.release();
            held = null;
        }
    }
}
