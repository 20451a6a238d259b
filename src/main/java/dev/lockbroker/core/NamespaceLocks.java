package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One namespace as the service sees it: a thin facade over its {@link NamespaceState} (the
 * decisions) and its {@link CommitLoop} (the log). It holds the lock, reads the clock, parks
 * long-polls ({@link ParkedPoll}: no thread each), and delivers events.
 *
 * <p>Concurrency contract: {@code lock} guards the state, its tickets and leases, and the loop's
 * phase. No store I/O happens under it: the first load holds {@code loadLock} (never {@code lock})
 * while it reads. Events and wake signals are drained under the lock and delivered after it is
 * released, so a woken poll's answer never runs under it.
 *
 * <p>An uncontended acquire finishes on the caller's thread: when no write is in flight, the caller
 * runs the commit step that writes its grant itself, instead of handing it to the executor.
 */
final class NamespaceLocks implements CommitLoop.Guard {
    /** How often a long-poll that returns on a change of position looks at the position again. */
    private static final long POSITION_CHECK_MILLIS = 200;

    /** What an acquire came to here: an outcome now, a parked poll, or a namespace retired meanwhile (look again). */
    sealed interface Acquired {
        /** An answer to wait for on this thread, or to be handed as a future. */
        sealed interface Outcome extends Acquired {
            AcquireOutcome join();

            CompletableFuture<AcquireOutcome> answer();

            /** The ticket this acquire queued or re-joined, if it did: known before the answer. */
            default Optional<String> queuedTicketId() {
                return Optional.empty();
            }
        }

        record Answered(AcquireOutcome outcome) implements Outcome {
            @Override
            public AcquireOutcome join() {
                return outcome;
            }

            @Override
            public CompletableFuture<AcquireOutcome> answer() {
                return CompletableFuture.completedFuture(outcome);
            }
        }

        record Parked(ParkedPoll poll) implements Outcome {
            @Override
            public AcquireOutcome join() {
                return poll.join();
            }

            @Override
            public CompletableFuture<AcquireOutcome> answer() {
                return poll.answer();
            }

            @Override
            public Optional<String> queuedTicketId() {
                return Optional.of(poll.ticketId());
            }
        }

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
            case Joined.Busy busy -> new Acquired.Answered(locked(s -> s.busy(request, clock.nanoTime())));
            case Joined.Created created ->
                new Acquired.Parked(ParkedPoll.park(this, context, created.ticket(), pollMillis, true));
            case Joined.Existing existing ->
                new Acquired.Parked(ParkedPoll.park(this, context, existing.ticket(), pollMillis, false));
        };
    }

    ParkedPoll poll(String ticketId, long pollMillis) {
        return ParkedPoll.park(this, context, ticket(ticketId), pollMillis, false);
    }

    AcquireOutcome pollUntilMoved(String ticketId, long pollMillis, int knownPosition) {
        CompletableFuture<AcquireOutcome> answer = pollUntilMovedAsync(ticketId, pollMillis, knownPosition);
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(false);
            return poll(ticketId, 0).join(); // answers now, as an interrupted poll does
        } catch (ExecutionException e) {
            return ParkedPoll.joined(CompletableFuture.failedFuture(e.getCause()));
        }
    }

    /** Polls in short windows until the position differs from {@code knownPosition} or the window closes. */
    CompletableFuture<AcquireOutcome> pollUntilMovedAsync(String ticketId, long pollMillis, int knownPosition) {
        return untilMoved(ticketId, clock.nanoTime() + pollMillis * 1_000_000, knownPosition);
    }

    private CompletableFuture<AcquireOutcome> untilMoved(String ticketId, long untilNanos, int knownPosition) {
        long remainingMillis = (untilNanos - clock.nanoTime()) / 1_000_000;
        return poll(ticketId, Math.max(0, Math.min(POSITION_CHECK_MILLIS, remainingMillis)))
                .answer()
                .thenCompose(outcome -> !(outcome instanceof AcquireOutcome.Queued queued)
                                || queued.ticket().position() != knownPosition
                                || remainingMillis <= POSITION_CHECK_MILLIS
                                || context.isClosed()
                        ? CompletableFuture.completedFuture(outcome)
                        : untilMoved(ticketId, untilNanos, knownPosition));
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

    /**
     * The broker is stopping: ends waiting for a record are written now, on this thread unless a
     * write is in flight (whose loop then writes them next). Before the service closes, which stops
     * every loop.
     */
    void flush() {
        update(
                s -> {
                    s.flush();
                    return null;
                },
                Runner.CALLER);
    }

    /** Whether ends still wait for a record, or one covering them is being written. */
    boolean hasEndsUnwritten() {
        return locked(s -> s.hasEndsToWrite() || commit.phase() == CommitLoop.Phase.RUNNING);
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
        wake(locked(s -> parkedOn(s.table.waiting())));
    }

    /**
     * Another broker serves the namespace now: no more commit steps here, and every parked long-poll
     * answers at once that it must ask again (it is redirected to the new owner, which loads the log).
     */
    void evict() {
        wake(locked(s -> {
            s.retire();
            return parkedOn(s.table.waiting());
        }));
    }

    /** Under the lock: the polls parked on {@code tickets}, to check again once it is released. */
    private static List<ParkedPoll> parkedOn(Collection<Ticket> tickets) {
        List<ParkedPoll> polls = new ArrayList<>();
        for (Ticket ticket : tickets) {
            polls.addAll(ticket.parkedPolls());
        }
        return polls;
    }

    /** Outside the lock: each poll checks its ticket again on the executor (its answer may write a response). */
    private void wake(List<ParkedPoll> polls) {
        for (ParkedPoll poll : polls) {
            context.executor().execute(poll::woken);
        }
    }

    // ---- the lock ----

    <T> T locked(Function<NamespaceState, T> action) {
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
        List<ParkedPoll> woken;
        boolean claimed;
        lock.lock();
        try {
            return action.apply(state);
        } finally {
            woken = parkedOn(state.table.effects().drainWoken());
            toDeliver = state.table.effects().drainEvents();
            claimed = commit.claim(state);
            lock.unlock();
            wake(woken);
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
