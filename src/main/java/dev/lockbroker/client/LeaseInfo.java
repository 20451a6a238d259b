package dev.lockbroker.client;

import dev.lockbroker.core.Holder;
import dev.lockbroker.core.Mode;
import java.time.Instant;

/** A granted lease as the broker described it; {@code shard} is null for the whole namespace. */
public record LeaseInfo(
        String leaseId,
        String namespace,
        String shard,
        Mode mode,
        long fencingToken,
        long ttlSeconds,
        Instant grantedAt,
        Instant expiresAt,
        Holder holder) {

    /** This lease as the broker's JSON. */
    public String toJson() {
        return WireJson.write(this);
    }
}
