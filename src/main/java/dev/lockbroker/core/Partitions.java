package dev.lockbroker.core;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Namespaces hashed into a fixed number of partitions, the unit of ownership. The count is part of
 * the bucket's layout: every broker on one bucket must use the same one, so it is a constant.
 */
public final class Partitions {
    /** Enough to spread namespaces over a handful of brokers; each costs a fixed number of requests. */
    public static final int COUNT = 8;

    private Partitions() {}

    public static int of(String namespace) {
        CRC32 crc = new CRC32();
        crc.update(namespace.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % COUNT);
    }
}
