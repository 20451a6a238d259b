package dev.lockbroker.core;

import dev.lockbroker.core.EndReason.LeaseEnd;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A lease held in a namespace, and its transitions. Its {@link NamespaceState} calls them under the
 * namespace lock; {@code end} is volatile so lookups outside that lock see a finished lease.
 */
final class Lease {
    private static final long PEER_SLACK_MILLIS = 1_000;

    final String id;
    final LockKey key;
    final Mode mode;
    final long token;
    final Holder holder;
    final long ttlMillis;
    final long grantedAtMillis;
    final long grantedAtNanos;
    private long deadlineNanos;
    private long expiresAtMillis;
    private long renewedAtMillis;
    /** The renewal time in the newest record this broker knows, so renewals are persisted lazily. */
    private long persistedRenewedAtMillis;
    /** The hold its requester declared, for waiters' ETAs; 0 when undeclared or learned from the log. */
    final long expectedHoldMillis;

    /**
     * Where its holder has been seen: only here (granted here, heartbeats and release come here) or
     * at a peer too (learned from a record, or renewed in one). Only a peer's holder can be released
     * in a record this broker has not read, so only then is reading for it urgent.
     */
    enum Contact {
        HERE,
        PEER
    }

    private Contact contact = Contact.HERE;

    private volatile @Nullable LeaseEnd end;
    private long endedAtNanos;
    /** Why an operator revoked it; set just before the end, so whoever sees the end sees it. */
    private @Nullable String revokedBecause;

    Lease(String namespace, LeaseEntry entry, long expectedHoldMillis, long nowNanos, long nowMillis) {
        this.id = entry.leaseId();
        this.expectedHoldMillis = expectedHoldMillis;
        this.key = new LockKey(namespace, entry.shard());
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
    }

    /** A lease learned from a record, not granted here: it starts with a peer's grace. */
    static Lease adopted(String namespace, LeaseEntry entry, long nowNanos, long nowMillis) {
        Lease lease = new Lease(namespace, entry, 0, nowNanos, nowMillis);
        lease.contact = Contact.PEER;
        lease.renewFromPeer(nowNanos, nowMillis);
        return lease;
    }

    // ---- transitions ----

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
    private void renewFromPeer(long nowNanos, long nowMillis) {
        extendTo(nowNanos, nowMillis, ttlMillis + ttlMillis / 2 + PEER_SLACK_MILLIS);
    }

    /** A record shows a renewal newer than the one this broker knows (the holder heartbeats a peer). */
    void renewFromRecord(LeaseEntry entry, long nowNanos, long nowMillis) {
        contact = Contact.PEER;
        renewFromPeer(nowNanos, nowMillis);
        renewedAtMillis = entry.renewedAtMillis();
        persistedRenewedAtMillis = entry.renewedAtMillis();
    }

    /** A record holding this lease was written: its renewal is persisted as of then. */
    void written(LeaseEntry entry) {
        persistedRenewedAtMillis = Math.max(persistedRenewedAtMillis, entry.renewedAtMillis());
    }

    /** A lease granted late, from a record written {@code ageMillis} ago: its deadline counts from then. */
    void backdate(long ageMillis) {
        deadlineNanos -= ageMillis * 1_000_000;
        expiresAtMillis -= ageMillis;
    }

    void end(LeaseEnd reason, long nowNanos) {
        if (end != null) {
            throw new IllegalStateException("lease " + id + " ended twice: " + end + ", then " + reason);
        }
        end = reason;
        endedAtNanos = nowNanos;
    }

    /** An operator's revoke: ends the lease with {@code reason} kept for its holder's next heartbeat. */
    void revoke(String reason, long nowNanos) {
        revokedBecause = reason;
        end(LeaseEnd.REVOKED, nowNanos);
    }

    /** Expired here, but a peer's record renewed it later (its holder heartbeats there): held again. */
    void revive(LeaseEntry entry, long nowNanos, long nowMillis) {
        if (end != LeaseEnd.EXPIRED) {
            throw new IllegalStateException("only an expired lease revives, not " + end);
        }
        end = null;
        renewFromRecord(entry, nowNanos, nowMillis);
    }

    // ---- queries ----

    @Nullable
    LeaseEnd end() {
        return end;
    }

    Contact contact() {
        return contact;
    }

    boolean isLive() {
        return end == null;
    }

    long endedAtNanos() {
        return endedAtNanos;
    }

    long renewedAtMillis() {
        return renewedAtMillis;
    }

    long persistedRenewedAtMillis() {
        return persistedRenewedAtMillis;
    }

    long deadlineNanos() {
        return deadlineNanos;
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

    /** @throws GoneException the lease has ended, with what its holder is told */
    void requireLive() {
        LeaseEnd ended = end;
        if (ended != null) {
            throw new GoneException(endMessage(), ended, List.of());
        }
    }

    /** What a holder is told once the lease has ended: the operator's reason for a revoke. */
    String endMessage() {
        LeaseEnd ended = end;
        if (ended == null) {
            return "the lease is live";
        }
        return ended == LeaseEnd.REVOKED && revokedBecause != null
                ? revokedBecause
                : "the lease ended: " + ended.wireName();
    }

    HolderView holderView(long nowNanos) {
        return new HolderView(
                key.shard(), mode, holder, token, (nowNanos - grantedAtNanos) / 1_000_000, expiresAtMillis);
    }
}
