package dev.lockbroker.core;

/** An id that names no lease or ticket this broker knows. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
