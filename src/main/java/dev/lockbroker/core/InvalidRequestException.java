package dev.lockbroker.core;

/** A request that cannot be served as written; nothing was changed. */
public final class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
