package dev.lockbroker.client;

/** A lease an operator's revoke ended: its id and fencing token. */
public record RevokedLease(String leaseId, long fencingToken) {}
