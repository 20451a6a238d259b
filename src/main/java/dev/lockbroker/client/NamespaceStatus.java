package dev.lockbroker.client;

import java.util.List;

/** Every held or awaited key of a namespace, with totals. */
public record NamespaceStatus(String namespace, int holders, int waiting, List<KeyStatus> keys) {}
