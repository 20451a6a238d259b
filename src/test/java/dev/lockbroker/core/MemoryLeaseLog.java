package dev.lockbroker.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A lease log in memory, for core tests that run thousands of scenarios; the real stores pass the
 * same contract suite. It can be switched to fail like an unreachable store.
 */
public final class MemoryLeaseLog implements LeaseLog {
    private final Map<String, TreeMap<Long, LeaseRecord>> logs = new HashMap<>();
    private volatile boolean failing;
    private int appends;

    public void setFailing(boolean failing) {
        this.failing = failing;
    }

    public synchronized int appends() {
        return appends;
    }

    @Override
    public synchronized boolean append(String namespace, LeaseRecord record) {
        failIfDown();
        appends++;
        return logs.computeIfAbsent(namespace, n -> new TreeMap<>()).putIfAbsent(record.seq(), record) == null;
    }

    @Override
    public synchronized Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        failIfDown();
        TreeMap<Long, LeaseRecord> log = logs.get(namespace);
        if (log == null || log.isEmpty() || log.lastKey() <= seq) {
            return Optional.empty();
        }
        return Optional.of(log.lastEntry().getValue());
    }

    @Override
    public void checkReachable() {
        failIfDown();
    }

    private void failIfDown() {
        if (failing) {
            throw new StoreUnavailableException("memory log switched off by the test");
        }
    }
}
