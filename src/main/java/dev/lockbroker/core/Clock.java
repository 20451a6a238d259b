package dev.lockbroker.core;

/**
 * Time as the core sees it: a monotonic ticker for every deadline (compare by subtraction) and wall
 * time only for what is persisted or shown. Tests pass a clock they advance by hand.
 */
public interface Clock {
    long nanoTime();

    long wallMillis();

    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }
    };
}
