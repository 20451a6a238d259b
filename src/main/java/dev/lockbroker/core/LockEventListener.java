package dev.lockbroker.core;

/** Receives core events; must be fast and must not call back into the core. */
@FunctionalInterface
public interface LockEventListener {
    void on(LockEvent event);

    LockEventListener NONE = event -> {};
}
