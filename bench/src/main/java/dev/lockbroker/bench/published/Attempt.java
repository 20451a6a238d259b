package dev.lockbroker.bench.published;

/**
 * One acquire by one worker, in System.nanoTime: sent, granted ({@link #NEVER} if not), release
 * sent and release answered.
 */
record Attempt(String key, long requested, long granted, long releaseSent, long releaseAnswered) {
    static final long NEVER = Long.MAX_VALUE;

    boolean wasGranted() {
        return granted != NEVER;
    }

    long waitNanos() {
        return granted - requested;
    }
}
