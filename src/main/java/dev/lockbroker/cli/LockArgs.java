package dev.lockbroker.cli;

import dev.lockbroker.client.HolderIdentity;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockRequest;
import dev.lockbroker.core.InvalidRequestException;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.Mode;
import java.time.Duration;

/** What to lock and how, as given on the command line; {@code shard} and {@code holderName} may be null. */
record LockArgs(String namespace, String shard, boolean shared, Duration maxWait, Duration ttl, String holderName) {
    static final String DEFAULT_WAIT = "10m";
    static final String DEFAULT_TTL = "30s";

    /** The request these options describe; a usage error when any is out of range. */
    LockRequest request() throws UsageException {
        try {
            if (maxWait.isNegative() || maxWait.compareTo(LockClient.MAX_WAIT) > 0) {
                throw new IllegalArgumentException("--wait must be from 0 to 1h, not " + Durations.format(maxWait));
            }
            var holder = holderName == null ? HolderIdentity.current() : HolderIdentity.named(holderName);
            return new LockRequest(new LockKey(namespace, shard), shared ? Mode.SHARED : Mode.EXCLUSIVE, ttl, holder);
        } catch (IllegalArgumentException | InvalidRequestException e) {
            String message = e.getMessage().startsWith("ttl ") ? "--" + e.getMessage() : e.getMessage();
            throw new UsageException(message);
        }
    }

    /** {@code ns} or {@code ns/shard}, for messages. */
    String keyText() {
        return shard == null ? namespace : namespace + "/" + shard;
    }
}
