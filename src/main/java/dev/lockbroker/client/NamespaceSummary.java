package dev.lockbroker.client;

/** An active namespace with its counts of holders and waiters. */
public record NamespaceSummary(String namespace, int holders, int waiting) {}
