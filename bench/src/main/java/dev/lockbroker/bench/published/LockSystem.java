package dev.lockbroker.bench.published;

/**
 * One lock service as its users reach it. Lockers made with the same connection index share one
 * client connection (a session, a channel, an HTTP client), as the workers of one process would.
 */
interface LockSystem extends AutoCloseable {
    /** A handle for one worker; it holds at most one lock at a time. */
    Locker locker(int connection) throws Exception;

    @Override
    void close() throws Exception;

    /** Takes and gives back exclusive locks. Not thread-safe: one worker uses it. */
    interface Locker {
        /**
         * Waits for {@code key} until about {@code deadlineNanos} (System.nanoTime); true once held.
         * Keeps the lock alive (heartbeat, lease keep-alive, session) until {@link #release}.
         */
        boolean acquire(String key, long deadlineNanos) throws Exception;

        /** Gives the held lock back; returns when the service answered. */
        void release() throws Exception;
    }
}
