package dev.lockbroker.core;

/**
 * A lease held in a namespace. Mutable fields are guarded by its {@code owner}'s lock;
 * {@code ended} is volatile so lookups outside that lock see a finished lease.
 */
final class Lease {
    private static final long PEER_SLACK_MILLIS = 1_000;

    final NamespaceLocks owner;
    final String id;
    final LockKey key;
    final Mode mode;
    final long token;
    final Holder holder;
    final long ttlMillis;
    final long grantedAtMillis;
    final long grantedAtNanos;
    long deadlineNanos;
    long expiresAtMillis;
    long renewedAtMillis;
    /** The renewal time in the newest record this broker knows, so renewals are persisted lazily. */
    long persistedRenewedAtMillis;
    /** The hold its requester declared, for waiters' ETAs; 0 when undeclared or learned from the log. */
    long expectedHoldMillis;

    volatile EndReason ended;
    long endedAtNanos;
    /** Why an operator revoked it; written before {@code ended}, so whoever sees the end sees it. */
    String revokedBecause;

    Lease(NamespaceLocks owner, LeaseEntry entry, long nowNanos, long nowMillis) {
        this.owner = owner;
        this.id = entry.leaseId();
        this.key = new LockKey(owner.namespace, entry.shard());
        this.mode = entry.mode();
        this.token = entry.token();
        this.holder = entry.holder();
        this.ttlMillis = entry.ttlMillis();
        this.grantedAtMillis = entry.grantedAtMillis();
        this.grantedAtNanos = nowNanos - Math.max(0, nowMillis - entry.grantedAtMillis()) * 1_000_000;
        this.renewedAtMillis = entry.renewedAtMillis();
        this.persistedRenewedAtMillis = entry.renewedAtMillis();
        this.deadlineNanos = nowNanos + ttlMillis * 1_000_000;
        this.expiresAtMillis = nowMillis + ttlMillis;
        this.renewedAtMillis = entry.renewedAtMillis();
    }

    /** A heartbeat here: a full TTL from now, never less than a peer's grace already granted. */
    void renew(long nowNanos, long nowMillis) {
        extendTo(nowNanos, nowMillis, ttlMillis);
        renewedAtMillis = nowMillis;
    }

    private void extendTo(long nowNanos, long nowMillis, long millis) {
        if (nowNanos + millis * 1_000_000 - deadlineNanos > 0) {
            deadlineNanos = nowNanos + millis * 1_000_000;
            expiresAtMillis = nowMillis + millis;
        }
    }

    /**
     * A renewal learned from a record rather than from a heartbeat here. The holder may have
     * heartbeated its own broker up to half a TTL after the renewal that broker last wrote down
     * ({@link #needsRenewalRecord}), so this broker waits half a TTL longer, plus slack, before the
     * lease may expire.
     */
    void renewFromPeer(long nowNanos, long nowMillis) {
        extendTo(nowNanos, nowMillis, ttlMillis + ttlMillis / 2 + PEER_SLACK_MILLIS);
    }

    /** Whether heartbeats here have moved the renewal far enough past the written one to write it. */
    boolean needsRenewalRecord() {
        return renewedAtMillis - persistedRenewedAtMillis > ttlMillis / 2;
    }

    boolean isExpired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    LeaseEntry toEntry() {
        return new LeaseEntry(id, key.shard(), mode, token, holder, ttlMillis, grantedAtMillis, renewedAtMillis);
    }

    LeaseView view() {
        return new LeaseView(id, key, mode, token, holder, ttlMillis, grantedAtMillis, expiresAtMillis);
    }

    /** What a holder is told once the lease has ended: the operator's reason for a revoke. */
    String endMessage() {
        return ended == EndReason.REVOKED && revokedBecause != null
                ? revokedBecause
                : "the lease ended: " + ended.wireName();
    }

    HolderView holderView(long nowNanos) {
        return new HolderView(
                key.shard(), mode, holder, token, (nowNanos - grantedAtNanos) / 1_000_000, expiresAtMillis);
    }
}
