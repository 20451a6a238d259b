package dev.lockbroker.http;

/** An acquire refused because its token already has its maximum of queued tickets; nothing was created. */
final class QueuedPerTokenException extends RuntimeException {
    QueuedPerTokenException(String token, int max) {
        super(
                "token '" + token + "' already has its maximum of " + max
                        + " queued requests; cancel some or wait for grants",
                null,
                false,
                false);
    }
}
