package dev.lockbroker.core;

/** A current holder as shown to waiters and operators; carries no lease id, which is a credential. */
public record HolderView(String shard, Mode mode, Holder holder, long token, long heldMillis, long expiresAtMillis) {}
