package dev.lockbroker.core;

import org.jspecify.annotations.Nullable;

/**
 * A validated request for a lease. {@code requestId} may be null; {@code expectedHoldMillis} is the
 * hold the client declares for ETAs before the key has history, 0 when undeclared.
 */
public record LeaseRequest(
        LockKey key,
        Mode mode,
        long ttlMillis,
        long waitMillis,
        Holder holder,
        @Nullable String requestId,
        long expectedHoldMillis) {
    public static final long MIN_TTL_MILLIS = 1_000;
    public static final long MAX_TTL_MILLIS = 3_600_000;
    public static final long MAX_WAIT_MILLIS = 3_600_000;
    public static final long MAX_EXPECTED_HOLD_MILLIS = 86_400_000;

    public LeaseRequest {
        if (key == null || mode == null || holder == null) {
            throw new InvalidRequestException("key, mode and holder are required");
        }
        if (ttlMillis < MIN_TTL_MILLIS || ttlMillis > MAX_TTL_MILLIS) {
            throw new InvalidRequestException("ttlSeconds must be between 1 and 3600");
        }
        if (waitMillis < 0 || waitMillis > MAX_WAIT_MILLIS) {
            throw new InvalidRequestException("waitSeconds must be between 0 and 3600");
        }
        if (requestId != null && (requestId.isEmpty() || requestId.length() > 128)) {
            throw new InvalidRequestException("requestId must be 1-128 characters");
        }
        if (expectedHoldMillis < 0 || expectedHoldMillis > MAX_EXPECTED_HOLD_MILLIS) {
            throw new InvalidRequestException("expectedHoldSeconds must be between 1 and 86400");
        }
    }

    public LeaseRequest(
            LockKey key, Mode mode, long ttlMillis, long waitMillis, Holder holder, @Nullable String requestId) {
        this(key, mode, ttlMillis, waitMillis, holder, requestId, 0);
    }
}
