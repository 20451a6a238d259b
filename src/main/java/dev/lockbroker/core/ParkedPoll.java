package dev.lockbroker.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One long-poll on a ticket that holds no thread while it waits: its answer completes when the
 * ticket changes (the ticket lists it and the namespace wakes it), when its window closes (a timer through the {@link Scheduler}
 * port), or at once when the namespace retires or the service closes. A parked virtual thread kept
 * its whole stack (~10 KiB); this is a few small objects.
 *
 * <p>Concurrency contract: {@code finished} is guarded by the namespace lock. Checks run on the caller's thread (the first), the executor (after a wake) or the
 * scheduler; the answer is computed and completed outside the lock, so no caller's continuation
 * (an HTTP response) runs under it. Cancelling the answer (a client gone) leaves the ticket at once.
 */
final class ParkedPoll {
    /** A try-once request waits only for the write that decides it; this bounds each wait step. */
    private static final long TRY_ONCE_RECHECK_MILLIS = 100;

    private static final long FINISH = -1;
    private static final long DONE = -2;

    private final NamespaceLocks owner;
    private final EngineContext context;
    private final Ticket ticket;
    private final boolean createdHere;
    private final long pollStartNanos;
    private final long pollNanos;
    private final CompletableFuture<AcquireOutcome> answer = new CompletableFuture<>();
    /** Written under the namespace lock; read without it only to cancel a timer set after the end. */
    private volatile boolean finished;
    /** The window's pending timer, cancelled when the poll ends first (10,000 waiters re-poll every window). */
    private volatile Scheduler.Scheduled timer = Scheduler.Scheduled.NONE;

    private ParkedPoll(
            NamespaceLocks owner, EngineContext context, Ticket ticket, long pollMillis, boolean createdHere) {
        this.owner = owner;
        this.context = context;
        this.ticket = ticket;
        this.createdHere = createdHere;
        this.pollStartNanos = context.clock().nanoTime();
        this.pollNanos = pollMillis * 1_000_000;
    }

    /** The id of the ticket this poll attends. */
    String ticketId() {
        return ticket.id;
    }

    /** Attends {@code ticket} for up to {@code pollMillis}; answered already when nothing is left to wait for. */
    static ParkedPoll park(
            NamespaceLocks owner, EngineContext context, Ticket ticket, long pollMillis, boolean createdHere) {
        ParkedPoll poll = new ParkedPoll(owner, context, ticket, pollMillis, createdHere);
        context.pollsParked().incrementAndGet();
        owner.locked(s -> {
            ticket.attend();
            ticket.park(poll);
            return null;
        });
        var unused = poll.answer.whenComplete((outcome, failure) -> {
            if (poll.answer.isCancelled()) {
                poll.leave(); // nobody reads the answer: the ticket is unattended from now, as after a poll
            }
        });
        poll.check(true);
        return poll;
    }

    /** Completes with the outcome; cancel it when nobody will read it. */
    CompletableFuture<AcquireOutcome> answer() {
        return answer;
    }

    /** Waits for the answer on this thread; interrupted, it answers at once with the ticket as it stands. */
    AcquireOutcome join() {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (owner.locked(s -> finish())) {
                complete();
            }
            return joined(answer);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** The value of a completed future, its failure rethrown as it was thrown. */
    static <T> T joined(CompletableFuture<T> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            throw rethrown(e.getCause());
        }
    }

    private static RuntimeException rethrown(@Nullable Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(cause);
    }

    /** The ticket changed: answer if that ended the wait; a pending timer stays as it is. */
    void woken() {
        check(false);
    }

    /** Answers if there is nothing left to wait for; otherwise waits on (and, from a timer, sets the next). */
    private void check(boolean fromTimer) {
        long waitMillis = owner.locked(s -> {
            if (finished) {
                return DONE;
            }
            long now = context.clock().nanoTime();
            long remaining = Math.min(pollNanos - (now - pollStartNanos), ticket.deadlineNanos - now);
            if (ticket.phase() != Ticket.Phase.WAITING
                    || context.isClosed()
                    || s.lifecycle() == NamespaceState.Lifecycle.RETIRED
                    || (remaining <= 0 && !ticket.isTryOnce())) {
                return finish() ? FINISH : DONE;
            }
            return ticket.isTryOnce() ? TRY_ONCE_RECHECK_MILLIS : ceilMillis(remaining);
        });
        if (waitMillis == FINISH) {
            complete();
        } else if (waitMillis != DONE && fromTimer) { // one timer at a time
            Scheduler.Scheduled next = context.scheduler().schedule(waitMillis, () -> check(true));
            timer = next;
            if (finished) { // ended while the timer was being set: finish() may have missed it
                next.cancel();
            }
        }
    }

    /** Under the namespace lock: true for the one caller that ends this poll. */
    private boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        timer.cancel();
        ticket.unpark(this);
        ticket.leave(context.clock().nanoTime());
        return true;
    }

    private void leave() {
        if (owner.locked(s -> finish())) {
            context.pollsParked().decrementAndGet();
        }
    }

    /** After {@link #finish}: the answer's continuations (an HTTP response) run here, before it counts out. */
    private void complete() {
        try {
            answer.complete(owner.update(s -> s.outcome(
                    ticket, createdHere, context.isClosed(), context.clock().nanoTime())));
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        } finally {
            context.pollsParked().decrementAndGet();
        }
    }

    private static long ceilMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }
}
