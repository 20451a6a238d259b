package dev.lockbroker.client;

/**
 * The broker refused a request that retrying will not fix (400, 401, 404, 413, 500): {@code error} is
 * the broker's error code, such as {@code invalid_request} or {@code unauthorized}.
 */
public final class BrokerRejectedException extends LockClientException {
    private final int status;
    private final String error;

    public BrokerRejectedException(int status, String error, String message) {
        super(message, null);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
