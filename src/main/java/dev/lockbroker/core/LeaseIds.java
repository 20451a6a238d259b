package dev.lockbroker.core;

import java.util.Optional;

/**
 * Lease ids: {@code {namespace}~{128 random bits}}. The namespace lets a broker that restarted find
 * the lease's namespace and load it from the store when the holder's first heartbeat arrives.
 */
final class LeaseIds {
    private static final char SEPARATOR = '~';

    private LeaseIds() {}

    static String next(String namespace) {
        return namespace + SEPARATOR + Ids.next();
    }

    /** The namespace part of a well-formed lease id. */
    static Optional<String> namespaceOf(String leaseId) {
        int at = leaseId.lastIndexOf(SEPARATOR);
        if (at <= 0) {
            return Optional.empty();
        }
        String namespace = leaseId.substring(0, at);
        try {
            LockKey.validateName("namespace", namespace);
            return Optional.of(namespace);
        } catch (InvalidRequestException e) {
            return Optional.empty();
        }
    }
}
