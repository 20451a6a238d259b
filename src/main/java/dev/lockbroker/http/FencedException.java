package dev.lockbroker.http;

/** This broker may not answer for the namespace now (ownership unknown, lapsed, or moving): 503. */
final class FencedException extends RuntimeException {
    FencedException(String message) {
        super(message);
    }
}
