package dev.lockbroker.core;

/** What a request joining a namespace came to ({@link NamespaceState#join}). */
sealed interface Joined {
    record Created(Ticket ticket) implements Joined {}

    /** The ticket an earlier request with the same request id made. */
    record Existing(Ticket ticket) implements Joined {}

    /** A try-once request that would not be granted at once; nothing was queued. */
    record Busy() implements Joined {}

    /** Forgotten after an idle spell: look the namespace up again. */
    record Retired() implements Joined {}
}
