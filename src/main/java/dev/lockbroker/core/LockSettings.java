package dev.lockbroker.core;

/**
 * Tunables, validated by the caller's configuration. The limits bound memory: queued tickets in
 * one namespace, tickets kept in all (queued or ended and remembered), namespaces in memory.
 */
public record LockSettings(
        long ticketTtlMillis,
        long endedRetentionMillis,
        long peerRefreshMillis,
        int maxQueuedPerNamespace,
        int maxTickets,
        int maxNamespaces) {
    /** About 0.5 KiB per ticket (kept 10 min after it ends) and a few KiB per namespace: inside a 512 MiB heap. */
    public static final int DEFAULT_MAX_QUEUED_PER_NAMESPACE = 10_000;

    public static final int DEFAULT_MAX_TICKETS = 300_000;
    public static final int DEFAULT_MAX_NAMESPACES = 20_000;

    public LockSettings(long ticketTtlMillis, long endedRetentionMillis, long peerRefreshMillis) {
        this(
                ticketTtlMillis,
                endedRetentionMillis,
                peerRefreshMillis,
                DEFAULT_MAX_QUEUED_PER_NAMESPACE,
                DEFAULT_MAX_TICKETS,
                DEFAULT_MAX_NAMESPACES);
    }

    public static LockSettings defaults() {
        return new LockSettings(60_000, 600_000, 1_000);
    }

    /** Refuses a new ticket, before anything is created, when its queue or the ticket table is full. */
    void requireRoomForTicket(String namespace, int queued, int ticketsKept) {
        if (queued >= maxQueuedPerNamespace) {
            throw new LimitExceededException(
                    LimitExceededException.Limit.QUEUED_PER_NAMESPACE,
                    "namespace " + namespace + " has its maximum of " + maxQueuedPerNamespace + " queued");
        }
        if (ticketsKept >= maxTickets) {
            throw new LimitExceededException(
                    LimitExceededException.Limit.TICKETS, "the broker keeps its maximum of " + maxTickets + " tickets");
        }
    }
}
