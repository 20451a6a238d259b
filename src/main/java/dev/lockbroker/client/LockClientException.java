package dev.lockbroker.client;

/** Something the broker client could not do; the subtypes say what went wrong. */
public abstract class LockClientException extends RuntimeException {
    protected LockClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
