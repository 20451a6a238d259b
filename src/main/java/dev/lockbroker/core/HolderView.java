package dev.lockbroker.core;

import org.jspecify.annotations.Nullable;

/** A current holder as shown to waiters and operators; carries no lease id, which is a credential. */
public record HolderView(
        @Nullable String shard, Mode mode, Holder holder, long token, long heldMillis, long expiresAtMillis) {}
