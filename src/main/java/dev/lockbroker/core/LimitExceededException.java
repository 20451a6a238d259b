package dev.lockbroker.core;

import java.util.Locale;

/** A request refused because a memory limit is reached; nothing was created for it. */
public final class LimitExceededException extends RuntimeException {
    /** Which limit. */
    public enum Limit {
        QUEUED_PER_NAMESPACE,
        TICKETS,
        NAMESPACES;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Limit limit;

    public LimitExceededException(Limit limit, String message) {
        super(message, null, false, false);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }
}
