package dev.lockbroker.http;

/** A /v1 request without the broker's bearer token. */
final class UnauthorizedException extends RuntimeException {
    UnauthorizedException() {
        super("a valid 'Authorization: Bearer <token>' header is required", null, false, false);
    }
}
