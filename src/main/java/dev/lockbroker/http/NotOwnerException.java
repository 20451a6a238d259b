package dev.lockbroker.http;

/** The namespace is served by another broker; answered 307 to {@code location}. */
final class NotOwnerException extends RuntimeException {
    private final String location;

    NotOwnerException(String message, String location) {
        super(message);
        this.location = location;
    }

    String location() {
        return location;
    }
}
