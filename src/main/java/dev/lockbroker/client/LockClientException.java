package dev.lockbroker.client;

/** Something the broker client could not do; the subtypes say what went wrong. */
public abstract sealed class LockClientException extends RuntimeException
        permits LockTimeoutException, LeaseLostException, BrokerUnavailableException, BrokerRejectedException {
    protected LockClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
