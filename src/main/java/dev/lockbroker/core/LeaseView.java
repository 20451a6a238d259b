package dev.lockbroker.core;

/** A granted lease as returned to its holder. */
public record LeaseView(
        String leaseId,
        LockKey key,
        Mode mode,
        long token,
        Holder holder,
        long ttlMillis,
        long grantedAtMillis,
        long expiresAtMillis) {}
