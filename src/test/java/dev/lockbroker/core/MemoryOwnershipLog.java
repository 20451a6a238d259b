package dev.lockbroker.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An ownership log in memory, shared by the brokers of a test; create-if-absent per number. */
final class MemoryOwnershipLog implements OwnershipLog {
    private final Map<Integer, TreeMap<Long, OwnershipRecord>> logs = new HashMap<>();
    private final Map<String, String> presences = new TreeMap<>();
    private long versions;

    @Override
    public synchronized boolean append(int partition, OwnershipRecord record) {
        return logs.computeIfAbsent(partition, p -> new TreeMap<>()).putIfAbsent(record.seq(), record) == null;
    }

    @Override
    public synchronized Optional<OwnershipRecord> latestAfter(int partition, long seq) {
        var log = logs.getOrDefault(partition, new TreeMap<>());
        return log.isEmpty() || log.lastKey() <= seq
                ? Optional.empty()
                : Optional.of(log.lastEntry().getValue());
    }

    @Override
    public synchronized void announce(Member me, long wallMillis) {
        presences.put(me.brokerId(), "v" + ++versions);
    }

    @Override
    public synchronized Map<String, String> presences() {
        return new TreeMap<>(presences);
    }

    @Override
    public synchronized void withdraw(String brokerId) {
        presences.remove(brokerId);
    }

    /** The newest record of {@code partition}, if any. */
    synchronized Optional<OwnershipRecord> newest(int partition) {
        var log = logs.get(partition);
        return log == null || log.isEmpty()
                ? Optional.empty()
                : Optional.of(log.lastEntry().getValue());
    }
}
