package dev.lockbroker.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Requests per second per caller (a token's name, or the client address on an open broker), as
 * token buckets holding up to two seconds' worth. Bounded: past {@code MAX_CALLERS} buckets the
 * table is cleared, which only forgives some callers their debt.
 *
 * <p>Concurrency contract: each bucket is updated under its own monitor; the table is concurrent.
 */
final class RateLimiter {
    private static final int MAX_CALLERS = 10_000;

    private static final class Bucket {
        double tokens;
        long refilledAtNanos;
    }

    private final double perSecond;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perSecond} 0 turns the limit off. */
    RateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Takes one request's token for {@code caller}; false when the caller is over its rate. */
    boolean tryAcquire(String caller, long nowNanos) {
        if (perSecond <= 0) {
            return true;
        }
        if (buckets.size() > MAX_CALLERS) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(caller, c -> {
            Bucket b = new Bucket();
            b.tokens = 2 * perSecond;
            b.refilledAtNanos = nowNanos;
            return b;
        });
        synchronized (bucket) {
            double elapsedSeconds = (nowNanos - bucket.refilledAtNanos) / (double) TimeUnit.SECONDS.toNanos(1);
            bucket.tokens = Math.min(2 * perSecond, bucket.tokens + elapsedSeconds * perSecond);
            bucket.refilledAtNanos = nowNanos;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }
}
