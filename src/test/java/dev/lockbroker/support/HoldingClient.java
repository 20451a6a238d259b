package dev.lockbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.Mode;

/** A test client that acquires over HTTP, waits through 202s, holds for a while, and releases. */
public final class HoldingClient {
    private final ApiClient api;

    public HoldingClient(ApiClient api) {
        this.api = api;
    }

    public ExclusionChecker.Hold hold(int order, LockKey key, Mode mode, long holdMillis) throws InterruptedException {
        long requested = System.nanoTime();
        String shard = key.shard() == null ? "" : "\"shard\":\"" + key.shard() + "\",";
        var reply = api.acquire(
                key.namespace(),
                "{" + shard + "\"mode\":\"" + mode.wireName()
                        + "\",\"waitSeconds\":120,\"ttlSeconds\":60,\"holder\":{\"name\":\"client-" + order + "\"}}");
        for (int polls = 0; reply.status() == 202 && polls < 200; polls++) {
            reply = api.get(reply.location() + "?waitSeconds=30");
        }
        assertThat(reply.status())
                .as("grant for client %d: %s", order, reply.raw())
                .isIn(200, 201);
        long start = System.nanoTime();
        Thread.sleep(holdMillis);
        long end = System.nanoTime();
        assertThat(api.delete("/v1/leases/" + reply.text("leaseId")).status()).isEqualTo(204);
        return new ExclusionChecker.Hold(
                order, key, mode, reply.body().path("fencingToken").asLong(), requested, start, end);
    }
}
