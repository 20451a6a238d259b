package dev.lockbroker.http;

/** A request whose token may not do this, or not in this namespace. */
final class ForbiddenException extends RuntimeException {
    ForbiddenException(String message) {
        super(message, null, false, false);
    }
}
