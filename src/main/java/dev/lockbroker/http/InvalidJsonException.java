package dev.lockbroker.http;

/** A request body that is not the JSON the endpoint takes. */
final class InvalidJsonException extends RuntimeException {
    InvalidJsonException(String detail) {
        super("the body is not valid JSON for this endpoint: " + detail, null, false, false);
    }
}
