package dev.lockbroker.core;

import java.util.Optional;
import java.util.function.Function;

/**
 * The one caller of the {@link LeaseLog} for a namespace: loads it, and runs the commit loop — ask
 * {@link NamespaceState#nextStep} what to do, do it against the log outside the lock, hand the
 * answer back ({@code written}, {@code lostRace}, {@code refreshed}, {@code storeFailed}). After a
 * failure it backs off through the {@link Scheduler} and resumes.
 *
 * <p>Concurrency contract: {@code phase} is guarded by the namespace lock, reached through {@link
 * Guard}; at most one loop runs per namespace (the one that moved {@code phase} from IDLE), so
 * records are written one after another, and a transition that arrives during a write joins the
 * next record (group commit). {@code backoffMillis} belongs to the running loop. No log call
 * happens under the lock.
 */
final class CommitLoop {
    /** Where the loop stands; only {@link #claim} starts it. */
    enum Phase {
        IDLE,
        RUNNING,
        /** A store call failed; a retry is scheduled. */
        BACKING_OFF
    }

    /** The namespace lock around its state, with events delivered and wakes done after. */
    interface Guard {
        <T> T update(Function<NamespaceState, T> action);
    }

    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final String namespace;
    private final EngineContext context;
    private final Guard guard;
    private Phase phase = Phase.IDLE;
    private long backoffMillis;

    CommitLoop(String namespace, EngineContext context, Guard guard) {
        this.namespace = namespace;
        this.context = context;
        this.guard = guard;
    }

    /** Reads the newest record for a namespace not loaded yet. The caller holds the load lock. */
    void load() {
        long readStart = context.clock().nanoTime();
        Optional<LeaseRecord> latest = context.log().latestAfter(namespace, 0);
        try {
            answer((s, nowNanos, nowMillis) -> s.loaded(latest, readStart, nowNanos, nowMillis));
        } catch (RecordInvariants.Violation e) {
            context.failures().accept(namespace, e);
            throw new StoreUnavailableException("the newest record of " + namespace + " was refused", e);
        }
    }

    /** What the log answered, handed to the state under the lock with the time it arrived. */
    @FunctionalInterface
    private interface Answer {
        void applyTo(NamespaceState state, long nowNanos, long nowMillis);
    }

    private void answer(Answer answer) {
        guard.update(s -> {
            answer.applyTo(s, context.clock().nanoTime(), context.clock().wallMillis());
            return null;
        });
    }

    /** Asks the store directly whether it answers (after a failure, before queueing a request). */
    void checkReachable() {
        context.log().checkReachable();
    }

    /** Under the namespace lock: starts the loop when idle with work to do; true when the caller must run it. */
    boolean claim(NamespaceState state) {
        if (phase != Phase.IDLE || !state.hasWork() || context.isClosed()) {
            return false;
        }
        phase = Phase.RUNNING;
        return true;
    }

    /** Under the namespace lock. */
    Phase phase() {
        return phase;
    }

    /** Runs a claimed loop on the commit executor. */
    void runElsewhere() {
        context.executor().execute(() -> run(Integer.MAX_VALUE));
    }

    /** Runs a claimed loop: up to {@code maxSteps} steps on this thread, then the rest on the executor. */
    void run(int maxSteps) {
        CommitStep step = CommitStep.Idle.INSTANCE;
        try {
            for (int steps = 0; ; steps++) {
                if (steps == maxSteps) {
                    if (guard.update(this::stillBusy)) {
                        runElsewhere();
                    }
                    return;
                }
                step = CommitStep.Idle.INSTANCE;
                step = guard.update(this::next);
                if (step instanceof CommitStep.Idle) {
                    return;
                }
                perform(step);
                backoffMillis = 0;
            }
        } catch (RuntimeException e) {
            failed(step, e);
        }
    }

    /** After a caller's own step: idle again unless more work came meanwhile. */
    private boolean stillBusy(NamespaceState state) {
        if (state.hasWork() && !context.isClosed()) {
            return true;
        }
        phase = Phase.IDLE;
        return false;
    }

    private CommitStep next(NamespaceState state) {
        CommitStep step = context.isClosed()
                ? CommitStep.Idle.INSTANCE
                : state.nextStep(context.clock().nanoTime(), context.clock().wallMillis());
        if (step instanceof CommitStep.Idle) {
            phase = Phase.IDLE;
        }
        return step;
    }

    private void perform(CommitStep step) {
        switch (step) {
            case CommitStep.Refresh refresh -> {
                long readStart = context.clock().nanoTime();
                Optional<LeaseRecord> newer = context.log().latestAfter(namespace, refresh.afterSeq());
                answer((s, nowNanos, nowMillis) -> s.refreshed(newer, readStart, nowNanos, nowMillis));
            }
            case CommitStep.Write write -> write(write);
            case CommitStep.Idle idle -> {}
        }
    }

    /** Appends the planned record; on a lost race adopts the record that won instead. */
    private void write(CommitStep.Write plan) {
        long writeStart = context.clock().nanoTime();
        if (context.log().append(namespace, plan.record())) {
            answer((s, nowNanos, nowMillis) -> s.written(plan, writeStart, nowNanos, nowMillis));
            return;
        }
        long readStart = context.clock().nanoTime();
        LeaseRecord winner = context.log()
                .latestAfter(namespace, plan.record().seq() - 1)
                .orElseThrow(() ->
                        new StoreUnavailableException("record " + plan.record().seq() + " exists but cannot be read"));
        answer((s, nowNanos, nowMillis) -> s.lostRace(plan, winner, readStart, nowNanos, nowMillis));
    }

    private void failed(CommitStep step, RuntimeException e) {
        guard.update(s -> {
            s.storeFailed(step);
            phase = Phase.BACKING_OFF;
            return null;
        });
        backoffMillis = Math.min(Math.max(backoffMillis * 2, MIN_BACKOFF_MILLIS), MAX_BACKOFF_MILLIS);
        context.failures().accept(namespace, e);
        var unused = context.scheduler().schedule(backoffMillis, this::resume); // a backoff always runs
    }

    private void resume() {
        boolean go = guard.update(s -> {
            phase = context.isClosed() ? Phase.IDLE : Phase.RUNNING;
            return phase == Phase.RUNNING;
        });
        if (go) {
            run(Integer.MAX_VALUE);
        }
    }
}
