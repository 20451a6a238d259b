package dev.lockbroker.core;

import java.util.List;

/** A lease or ticket that existed but has ended; {@code reason} says how. */
public final class GoneException extends RuntimeException {
    private final EndReason reason;
    private final List<HolderView> holders;

    public GoneException(String message, EndReason reason, List<HolderView> holders) {
        super(message, null, false, false);
        this.reason = reason;
        this.holders = List.copyOf(holders);
    }

    public EndReason reason() {
        return reason;
    }

    /** The holders of the key when the thing ended, for a timed-out waiter to name who blocked it. */
    public List<HolderView> holders() {
        return holders;
    }
}
