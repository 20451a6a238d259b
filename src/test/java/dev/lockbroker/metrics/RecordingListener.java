package dev.lockbroker.metrics;

import dev.lockbroker.core.LockEvent;
import dev.lockbroker.core.LockEventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Passes each event to {@code next}, then keeps it with the thread that delivered it, so a test can
 * wait until the core has delivered an event (the core delivers after releasing its lock, possibly
 * on a commit thread). Awaited by one test thread.
 */
final class RecordingListener implements LockEventListener {
    record Delivered(LockEvent event, Thread thread) {}

    private final LockEventListener next;
    private final LinkedBlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
    private final List<Delivered> unclaimed = new ArrayList<>();

    RecordingListener(LockEventListener next) {
        this.next = next;
    }

    @Override
    public void on(LockEvent event) {
        next.on(event);
        delivered.add(new Delivered(event, Thread.currentThread()));
    }

    /** Waits up to 10 s for a delivered event matching {@code wanted}, oldest first; fails if none comes. */
    Delivered await(Predicate<Delivered> wanted) throws InterruptedException {
        for (Delivered d : unclaimed) {
            if (wanted.test(d)) {
                unclaimed.remove(d);
                return d;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = deadline - System.nanoTime();
            Delivered d = left <= 0 ? null : delivered.poll(left, TimeUnit.NANOSECONDS);
            if (d == null) {
                throw new AssertionError("no such event within 10 s; unclaimed: " + unclaimed);
            }
            if (wanted.test(d)) {
                return d;
            }
            unclaimed.add(d);
        }
    }
}
