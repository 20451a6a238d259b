package dev.lockbroker.core;

import org.jspecify.annotations.Nullable;

/** A queued request as shown to operators. */
public record WaiterView(@Nullable String shard, int position, Mode mode, Holder holder, long waitedMillis) {}
