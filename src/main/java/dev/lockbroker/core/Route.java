package dev.lockbroker.core;

/** Where a namespace's requests are answered, as this broker knows it now. */
public sealed interface Route {
    /** This broker owns the namespace's partition and may acknowledge requests for it. */
    record Local() implements Route {}

    /** Another broker owns it: send the request there. */
    record Remote(String brokerId, String url) implements Route {}

    /** Nobody may answer here now (ownership unknown, fenced, or moving): retry shortly. */
    record Unavailable(String reason) implements Route {}
}
