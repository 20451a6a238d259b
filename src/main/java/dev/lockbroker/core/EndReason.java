package dev.lockbroker.core;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Why a lease or a wait ended: a {@link LeaseEnd} or a {@link WaitEnd}. The constants here name
 * both kinds under one type, as the wire does ({@code reason} in a 410 answer).
 */
public sealed interface EndReason permits EndReason.LeaseEnd, EndReason.WaitEnd {
    /** How a held lease ended. */
    enum LeaseEnd implements EndReason {
        RELEASED,
        EXPIRED,
        /** Another broker's record no longer holds the lease. */
        REVOKED;

        @Override
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a wait in the queue ended. */
    enum WaitEnd implements EndReason {
        GRANTED,
        TIMED_OUT,
        CANCELLED,
        ABANDONED,
        /** A try-once request found the key taken. */
        BUSY;

        @Override
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    LeaseEnd RELEASED = LeaseEnd.RELEASED;
    LeaseEnd EXPIRED = LeaseEnd.EXPIRED;
    LeaseEnd REVOKED = LeaseEnd.REVOKED;
    WaitEnd GRANTED = WaitEnd.GRANTED;
    WaitEnd TIMED_OUT = WaitEnd.TIMED_OUT;
    WaitEnd CANCELLED = WaitEnd.CANCELLED;
    WaitEnd ABANDONED = WaitEnd.ABANDONED;
    WaitEnd BUSY = WaitEnd.BUSY;

    String name();

    /**
     * The name on the wire. Abstract, not a default method: a default would make each enum's
     * initialization run this interface's first, which reads the enum's constants before they exist.
     */
    String wireName();

    /** Every reason, lease ends first. */
    static List<EndReason> values() {
        return Stream.<EndReason>concat(Stream.of(LeaseEnd.values()), Stream.of(WaitEnd.values()))
                .toList();
    }
}
