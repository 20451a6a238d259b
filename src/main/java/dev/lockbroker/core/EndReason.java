package dev.lockbroker.core;

import java.util.Locale;

/** Why a lease or a ticket ended. */
public enum EndReason {
    RELEASED,
    EXPIRED,
    REVOKED,
    GRANTED,
    TIMED_OUT,
    CANCELLED,
    ABANDONED,
    /** A try-once request found the key taken. */
    BUSY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
