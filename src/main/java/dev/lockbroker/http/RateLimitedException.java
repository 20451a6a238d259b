package dev.lockbroker.http;

/** A caller over its requests per second. */
final class RateLimitedException extends RuntimeException {
    RateLimitedException(int perSecond) {
        super("over " + perSecond + " requests per second for this token; slow down", null, false, false);
    }
}
