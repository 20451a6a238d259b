package dev.lockbroker.client;

/**
 * A lease is no longer held: the broker ended it ({@code reason} is its end reason, such as
 * {@code expired} or {@code revoked}), or it could not be confirmed before it would expire
 * ({@code reason} is {@link #UNCONFIRMED}).
 */
public final class LeaseLostException extends LockClientException {
    /** The reason given when no heartbeat was confirmed in time. */
    public static final String UNCONFIRMED = "unconfirmed";

    private final String leaseId;
    private final String reason;

    public LeaseLostException(String leaseId, String reason, String message, Throwable cause) {
        super(message, cause);
        this.leaseId = leaseId;
        this.reason = reason;
    }

    public String leaseId() {
        return leaseId;
    }

    public String reason() {
        return reason;
    }

    /** True when the broker itself said the lease ended, false when it only could not be confirmed. */
    public boolean isConfirmedByBroker() {
        return !UNCONFIRMED.equals(reason);
    }
}
