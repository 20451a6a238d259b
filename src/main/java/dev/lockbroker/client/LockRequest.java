package dev.lockbroker.client;

import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.Mode;
import java.time.Duration;

/**
 * What to lock, how, for how long per heartbeat, and who asks. The TTL is whole seconds from 1 s to
 * 1 h, as the broker counts it.
 */
public record LockRequest(LockKey key, Mode mode, Duration ttl, Holder holder) {
    public static final Duration MAX_TTL = Duration.ofHours(1);

    public LockRequest {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0 || ttl.toNanosPart() != 0) {
            throw new IllegalArgumentException("ttl must be whole seconds from 1s to 1h, not " + ttl);
        }
    }

    /** An exclusive lock on {@code shard} of {@code namespace} (null shard: the whole namespace). */
    public static LockRequest exclusive(String namespace, String shard, Duration ttl) {
        return new LockRequest(new LockKey(namespace, shard), Mode.EXCLUSIVE, ttl, HolderIdentity.current());
    }

    public LockRequest withMode(Mode newMode) {
        return new LockRequest(key, newMode, ttl, holder);
    }

    public LockRequest withHolder(Holder newHolder) {
        return new LockRequest(key, mode, ttl, newHolder);
    }
}
