package dev.lockbroker.core;

/** A revoke by key that found nothing to revoke: the key is not held, or not under the expected token. */
public final class RevokeRefusedException extends RuntimeException {
    /** Why the revoke was refused. */
    public enum Why {
        NOT_HELD,
        HOLDER_MISMATCH
    }

    private final Why why;

    public RevokeRefusedException(Why why, String message) {
        super(message, null, false, false);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
