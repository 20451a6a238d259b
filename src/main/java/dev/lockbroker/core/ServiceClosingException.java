package dev.lockbroker.core;

/** The broker is shutting down: parked waits end and no new request is taken; clients retry elsewhere or later. */
public final class ServiceClosingException extends RuntimeException {
    public ServiceClosingException() {
        super("the broker is shutting down", null, false, false);
    }
}
