package dev.lockbroker.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One namespace as the service sees it: a thin facade over its {@link NamespaceState} (the
 * decisions) and its {@link CommitLoop} (the log). It holds the lock, reads the clock, parks
 * long-polls, and delivers events.
 *
 * <p>Concurrency contract: {@code lock} guards the state, its tickets and leases, and the loop's
 * phase. No store I/O happens under it: the first load holds {@code loadLock} (never {@code lock})
 * while it reads. Events are drained under the lock and delivered after it is released; parked
 * long-polls are woken under it.
 *
 * <p>An uncontended acquire finishes on the caller's thread: when no write is in flight, the caller
 * runs the commit step that writes its grant itself, instead of handing it to the executor.
 */
final class NamespaceLocks implements CommitLoop.Guard {
    /** A try-once request waits only for the write that decides it; this bounds each wait step. */
    private static final long TRY_ONCE_WAIT_NANOS = 100_000_000;

    /** What an acquire came to here: an outcome, or a namespace retired meanwhile (look again). */
    sealed interface Acquired {
        record Outcome(AcquireOutcome outcome) implements Acquired {}

        record Retired() implements Acquired {}
    }

    /** Who runs a commit loop that an update makes necessary. */
    private enum Runner {
        EXECUTOR,
        /** The calling thread, one step (an acquire that may be granted by that write). */
        CALLER
    }

    final String namespace;
    private final EngineContext context;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock loadLock = new ReentrantLock();
    private final NamespaceState state;
    private final CommitLoop commit;

    NamespaceLocks(String namespace, EngineContext context) {
        this.namespace = namespace;
        this.context = context;
        this.clock = context.clock();
        this.state = new NamespaceState(
                namespace, context.settings(), context.directoryFor(this), context.eventVersions()::incrementAndGet);
        this.commit = new CommitLoop(namespace, context, this);
    }

    /** Loads the namespace from the log once; concurrent callers wait for the one that reads. */
    void load() {
        if (locked(s -> s.lifecycle() != NamespaceState.Lifecycle.UNLOADED)) {
            return;
        }
        loadLock.lock();
        try {
            if (locked(s -> s.lifecycle() == NamespaceState.Lifecycle.UNLOADED)) {
                commit.load();
            }
        } finally {
            loadLock.unlock();
        }
    }

    // ---- requests ----

    Acquired acquire(LeaseRequest request, long pollMillis) {
        load();
        if (locked(s -> s.health() == NamespaceState.StoreHealth.FAILING)) {
            commit.checkReachable();
            locked(s -> {
                s.storeReachable();
                return null;
            });
        }
        String ticketId = LeaseIds.next(namespace); // names its namespace, so any broker can route it
        Joined join = update(s -> s.join(request, ticketId, clock.nanoTime(), clock.wallMillis()), Runner.CALLER);
        return switch (join) {
            case Joined.Retired retired -> new Acquired.Retired();
            case Joined.Busy busy -> new Acquired.Outcome(locked(s -> s.busy(request, clock.nanoTime())));
            case Joined.Created created -> new Acquired.Outcome(await(created.ticket(), pollMillis, true));
            case Joined.Existing existing -> new Acquired.Outcome(await(existing.ticket(), pollMillis, false));
        };
    }

    AcquireOutcome poll(String ticketId, long pollMillis) {
        return await(ticket(ticketId), pollMillis, false);
    }

    void cancel(String ticketId) {
        Ticket ticket = ticket(ticketId);
        update(s -> {
            s.cancel(ticket, clock.nanoTime());
            return null;
        });
    }

    LeaseView heartbeat(String leaseId) {
        Lease lease = lease(leaseId);
        return locked(s -> s.heartbeat(lease, clock.nanoTime(), clock.wallMillis()));
    }

    LeaseView describe(String leaseId) {
        Lease lease = lease(leaseId);
        return locked(s -> {
            lease.requireLive();
            return lease.view();
        });
    }

    /** Ends the lease; releasing one that expired or was revoked is a {@link GoneException}. */
    void release(String leaseId) {
        Lease lease = lease(leaseId);
        NamespaceState.Release released = update(s -> s.release(lease, clock.nanoTime()));
        EndReason.LeaseEnd end = lease.end();
        if (released == NamespaceState.Release.HAD_ENDED && end != null) {
            throw new GoneException(lease.endMessage(), end, List.of());
        }
    }

    /** Ends a live lease as an operator's revoke; one that had already ended is a {@link GoneException}. */
    LeaseView revoke(String leaseId, String reason) {
        Lease lease = lease(leaseId);
        return update(s -> {
            lease.requireLive();
            s.table.revoke(lease, reason, clock.nanoTime());
            return lease.view();
        });
    }

    /**
     * Revokes the holders of exactly {@code key} (all, or only the one under {@code expectedToken});
     * empty when the namespace retired first.
     *
     * @throws RevokeRefusedException nothing holds the key, or not under the expected token
     */
    Optional<List<LeaseView>> revokeKey(LockKey key, @Nullable Long expectedToken, String reason) {
        return update(s -> s.lifecycle() == NamespaceState.Lifecycle.RETIRED
                ? Optional.empty()
                : Optional.of(Revocations.revokeKey(s, key, expectedToken, reason, clock.nanoTime())));
    }

    LockService.NamespaceStatus status() {
        return locked(s -> s.status(clock.nanoTime()));
    }

    boolean isQueued(String ticketId) {
        return locked(s -> s.table
                .ticket(ticketId)
                .map(t -> t.isWaiting() && t.lease() == null)
                .orElse(false));
    }

    private Ticket ticket(String id) {
        return locked(s -> s.table.ticket(id)).orElseThrow(() -> new NotFoundException("no ticket " + id));
    }

    private Lease lease(String id) {
        return locked(s -> s.table.lease(id)).orElseThrow(() -> new NotFoundException("no lease " + id));
    }

    // ---- periodic work and lifecycle ----

    int sweep(int budget) {
        return update(s -> s.sweep(budget, clock.nanoTime()));
    }

    boolean retireIfIdle(long idleForNanos) {
        return locked(s -> s.retireIfIdle(idleForNanos, commit.phase() == CommitLoop.Phase.IDLE, clock.nanoTime()));
    }

    boolean retired() {
        return locked(s -> s.lifecycle() == NamespaceState.Lifecycle.RETIRED);
    }

    boolean isWriting() {
        return locked(s -> commit.phase() == CommitLoop.Phase.RUNNING);
    }

    boolean isActive() {
        return locked(s -> s.table.isActive());
    }

    /** Tickets this engine counts in the service's total; an evicted engine gives them back. */
    int ticketsKept() {
        return locked(s -> s.table.ledger.ticketCount());
    }

    /** Wakes every parked long-poll, so each can answer that the broker is closing. */
    void wakeAll() {
        locked(s -> {
            s.table.waiting().forEach(Ticket::wakeWaiters);
            return null;
        });
    }

    /**
     * Another broker serves the namespace now: no more commit steps here, and every parked long-poll
     * answers at once that it must ask again (it is redirected to the new owner, which loads the log).
     */
    void evict() {
        locked(s -> {
            s.retire();
            s.table.waiting().forEach(Ticket::wakeWaiters);
            return null;
        });
    }

    // ---- waiting ----

    private AcquireOutcome await(Ticket ticket, long pollMillis, boolean createdHere) {
        long pollStart = clock.nanoTime();
        long pollNanos = pollMillis * 1_000_000;
        locked(s -> {
            ticket.attend();
            return null;
        });
        try {
            while (true) {
                Optional<CompletableFuture<Void>> wake = locked(s -> ticket.phase() == Ticket.Phase.WAITING
                                && !context.isClosed()
                                && s.lifecycle() != NamespaceState.Lifecycle.RETIRED
                        ? Optional.of(ticket.wakeSignal())
                        : Optional.empty());
                long now = clock.nanoTime();
                long remaining = Math.min(pollNanos - (now - pollStart), ticket.deadlineNanos - now);
                if (wake.isEmpty() || (remaining <= 0 && !ticket.isTryOnce())) {
                    break;
                }
                try {
                    wake.get().get(ticket.isTryOnce() ? TRY_ONCE_WAIT_NANOS : remaining, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // wait again: a try-once request waits until the write that decides it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        } finally {
            locked(s -> {
                ticket.leave(clock.nanoTime());
                return null;
            });
        }
        return update(s -> s.outcome(ticket, createdHere, context.isClosed(), clock.nanoTime()));
    }

    // ---- the lock ----

    private <T> T locked(Function<NamespaceState, T> action) {
        lock.lock();
        try {
            return action.apply(state);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the lock, then delivers its events and starts a commit loop if needed. */
    @Override
    public <T> T update(Function<NamespaceState, T> action) {
        return update(action, Runner.EXECUTOR);
    }

    private <T> T update(Function<NamespaceState, T> action, Runner runner) {
        List<LockEvent> toDeliver;
        boolean claimed;
        lock.lock();
        try {
            return action.apply(state);
        } finally {
            state.table.effects().drainWoken().forEach(Ticket::wakeWaiters);
            toDeliver = state.table.effects().drainEvents();
            claimed = commit.claim(state);
            lock.unlock();
            deliver(toDeliver);
            if (claimed && runner == Runner.CALLER) {
                commit.run(1);
            } else if (claimed) {
                commit.runElsewhere();
            }
        }
    }

    /** A listener that throws loses its event, never the namespace's progress. */
    private void deliver(List<LockEvent> toDeliver) {
        for (LockEvent event : toDeliver) {
            try {
                context.listener().on(event);
            } catch (RuntimeException e) {
                context.failures().accept(namespace, e);
            }
        }
    }
}
