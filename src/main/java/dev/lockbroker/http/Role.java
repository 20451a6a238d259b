package dev.lockbroker.http;

/** What a token may do: {@code client} locks, {@code admin} also revokes, {@code metrics} only scrapes. */
public enum Role {
    CLIENT,
    ADMIN,
    METRICS;

    boolean mayLock() {
        return this != METRICS;
    }
}
