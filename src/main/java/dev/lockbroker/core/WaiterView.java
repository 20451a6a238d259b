package dev.lockbroker.core;

/** A queued request as shown to operators. */
public record WaiterView(String shard, int position, Mode mode, Holder holder, long waitedMillis) {}
