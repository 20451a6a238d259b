package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The lock broker's core: fair FIFO lease queues per namespace, leases with heartbeats, and fencing
 * tokens, made durable through a {@link LeaseLog}. Knows nothing of HTTP, S3 or metrics.
 *
 * <p>Concurrency contract: all state lives in {@link NamespaceLocks}, one lock per namespace; the
 * map here is a concurrent index from ticket and lease ids to the engine that holds them. The plain
 * long-poll calls block (meant for virtual threads); their {@code Async} forms park no thread. A
 * background sweeper expires leases and tickets.
 */
public final class LockService implements AutoCloseable {
    private static final int SWEEP_BUDGET_PER_NAMESPACE = 10_000;
    private static final int CLOSE_WAIT_MILLIS = 5_000;
    private static final int MAX_RETIRED_RETRIES = 3;

    public record KeyStatus(String shard, List<HolderView> holders, List<WaiterView> queue) {}

    public record NamespaceStatus(String namespace, int holders, int waiting, List<KeyStatus> keys) {}

    private final EngineContext context;
    private final Map<String, NamespaceLocks> namespaces = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    public LockService(
            LeaseLog log,
            Clock clock,
            Executor commitExecutor,
            LockEventListener listener,
            LockSettings settings,
            BiConsumer<String, RuntimeException> storeFailures) {
        this(log, clock, commitExecutor, Scheduler.after(commitExecutor), listener, settings, storeFailures);
    }

    /** With the backoff after store failures run by {@code scheduler} (tests pass one on a fake clock). */
    public LockService(
            LeaseLog log,
            Clock clock,
            Executor commitExecutor,
            Scheduler scheduler,
            LockEventListener listener,
            LockSettings settings,
            BiConsumer<String, RuntimeException> storeFailures) {
        this.context = new EngineContext(
                log,
                clock,
                commitExecutor,
                scheduler,
                listener,
                settings,
                new ConcurrentHashMap<>(),
                storeFailures,
                () -> closed,
                new AtomicLong(),
                new AtomicInteger(),
                new AtomicInteger());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("lock-sweeper").factory());
    }

    /** Starts the background sweep, every {@code periodMillis}. */
    public LockService startSweeping(long periodMillis) {
        var unused =
                sweeper.scheduleWithFixedDelay(this::sweepQuietly, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return this; // sweepQuietly reports its own failures, so the future has nothing to tell
    }

    /**
     * Joins the queue for {@code request} and waits up to {@code pollMillis} for the grant. A request
     * that repeats a request id answers for the ticket that id made.
     */
    public AcquireOutcome acquire(LeaseRequest request, long pollMillis) {
        return acquired(request, pollMillis).join();
    }

    /**
     * As {@link #acquire}, but the wait parks no thread: the request joins the queue on the caller's
     * thread (refusals are thrown), then a future answers. Cancel it when nobody will read it.
     */
    public CompletableFuture<AcquireOutcome> acquireAsync(LeaseRequest request, long pollMillis) {
        return acquired(request, pollMillis).answer();
    }

    /** As {@link #acquireAsync}, also naming the ticket it queued before the answer comes. */
    public PendingAcquire acquirePending(LeaseRequest request, long pollMillis) {
        NamespaceLocks.Acquired.Outcome outcome = acquired(request, pollMillis);
        return new PendingAcquire(outcome.queuedTicketId(), outcome.answer());
    }

    /** A namespace that retired meanwhile is looked up again. */
    private NamespaceLocks.Acquired.Outcome acquired(LeaseRequest request, long pollMillis) {
        if (closed) {
            throw new ServiceClosingException();
        }
        String name = request.key().namespace();
        for (int attempt = 0; attempt < MAX_RETIRED_RETRIES; attempt++) {
            requireRoomFor(name);
            NamespaceLocks locks = namespace(name);
            if (locks.acquire(request, pollMillis) instanceof NamespaceLocks.Acquired.Outcome outcome) {
                return outcome;
            }
            namespaces.remove(name, locks); // retired while idle, before the sweeper dropped it
        }
        throw new IllegalStateException("namespace " + request.key().namespace() + " kept retiring");
    }

    /** Waits up to {@code pollMillis} on a ticket; keeps its place in the queue. */
    public AcquireOutcome poll(String ticketId, long pollMillis) {
        return ticketOwner(ticketId).poll(ticketId, pollMillis).join();
    }

    /** As {@link #poll}, answered by a future that no thread waits for; cancel it when nobody will read it. */
    public CompletableFuture<AcquireOutcome> pollAsync(String ticketId, long pollMillis) {
        return ticketOwner(ticketId).poll(ticketId, pollMillis).answer();
    }

    /**
     * Like {@link #poll(String, long)}, but also answers, still queued, as soon as the ticket's
     * position differs from {@code knownPosition}, so a waiter sees the queue move while it moves.
     */
    public AcquireOutcome pollUntilMoved(String ticketId, long pollMillis, int knownPosition) {
        return ticketOwner(ticketId).pollUntilMoved(ticketId, pollMillis, knownPosition);
    }

    /** As {@link #pollUntilMoved}, answered by a future; each look at the position is a short parked poll. */
    public CompletableFuture<AcquireOutcome> pollUntilMovedAsync(String ticketId, long pollMillis, int knownPosition) {
        return ticketOwner(ticketId).pollUntilMovedAsync(ticketId, pollMillis, knownPosition);
    }

    /** Leaves the queue; a ticket already granted releases its lease. */
    public void cancel(String ticketId) {
        ticketOwner(ticketId).cancel(ticketId);
    }

    public LeaseView heartbeat(String leaseId) {
        return leaseOwner(leaseId).heartbeat(leaseId);
    }

    /** The lease as it stands, without renewing it. */
    public LeaseView describe(String leaseId) {
        return leaseOwner(leaseId).describe(leaseId);
    }

    /** Releases a lease; releasing twice is fine, releasing one that expired is a {@link GoneException}. */
    public void release(String leaseId) {
        leaseOwner(leaseId).release(leaseId);
    }

    /**
     * Ends a lease as an operator's revoke, recorded with the namespace's next record; its holder is
     * told {@code reason} at its next heartbeat.
     *
     * @throws NotFoundException no such lease
     * @throws GoneException the lease had already ended
     */
    public LeaseView revoke(String leaseId, @Nullable String reason) {
        String why = requireReason(reason);
        return leaseOwner(leaseId).revoke(leaseId, why);
    }

    /**
     * Revokes the holders of exactly {@code key} (a shard, or the whole-namespace key when the shard
     * is null); with {@code expectedToken}, only the holder under that fencing token.
     *
     * @throws RevokeRefusedException the key is not held, or not under {@code expectedToken}
     */
    public List<LeaseView> revokeKey(LockKey key, @Nullable Long expectedToken, @Nullable String reason) {
        String why = requireReason(reason);
        if (closed) {
            throw new ServiceClosingException();
        }
        for (int attempt = 0; attempt < MAX_RETIRED_RETRIES; attempt++) {
            NamespaceLocks locks = namespace(key.namespace());
            locks.load();
            Optional<List<LeaseView>> revoked = locks.revokeKey(key, expectedToken, why);
            if (revoked.isPresent()) {
                return revoked.get();
            }
            namespaces.remove(key.namespace(), locks); // retired while loading: a fresh engine loads it
        }
        throw new IllegalStateException("namespace " + key.namespace() + " kept retiring");
    }

    private static String requireReason(@Nullable String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 512) {
            throw new InvalidRequestException("a revoke needs a reason of 1 to 512 characters");
        }
        return reason;
    }

    /** The namespace a ticket or lease id belongs to, when this broker can tell; for access checks. */
    public Optional<String> namespaceOf(@Nullable String ticketOrLeaseId) {
        if (ticketOrLeaseId == null) {
            return Optional.empty();
        }
        NamespaceLocks owner = context.owners().get(ticketOrLeaseId);
        return owner != null ? Optional.of(owner.namespace) : LeaseIds.namespaceOf(ticketOrLeaseId);
    }

    /** Whether the ticket still waits in its queue: known here, not granted, not ended. */
    public boolean isQueued(@Nullable String ticketId) {
        if (ticketId == null) {
            return false;
        }
        NamespaceLocks owner = context.owners().get(ticketId);
        return owner != null && owner.isQueued(ticketId);
    }

    public NamespaceStatus status(String namespace) {
        LockKey.validateName("namespace", namespace);
        NamespaceLocks locks = namespaces.get(namespace);
        return locks == null ? new NamespaceStatus(namespace, 0, 0, List.of()) : locks.status();
    }

    /** Namespaces with holders or waiters, by name. */
    public List<NamespaceStatus> activeNamespaces() {
        List<NamespaceStatus> result = new ArrayList<>();
        for (NamespaceLocks locks : namespaces.values()) {
            if (locks.isActive()) {
                NamespaceStatus s = locks.status();
                result.add(new NamespaceStatus(s.namespace(), s.holders(), s.waiting(), List.of()));
            }
        }
        result.sort(Comparator.comparing(NamespaceStatus::namespace));
        return result;
    }

    /** Throws {@link StoreUnavailableException} unless the lease log answers now. */
    public void checkReady() {
        context.log().checkReachable();
    }

    /** One pass of expiry and clean-up over every namespace; the sweeper calls it, tests may too. */
    public int sweep() {
        int done = 0;
        long idleNanos = context.settings().endedRetentionMillis() * 1_000_000;
        for (Map.Entry<String, NamespaceLocks> entry : List.copyOf(namespaces.entrySet())) {
            NamespaceLocks locks = entry.getValue();
            done += locks.sweep(SWEEP_BUDGET_PER_NAMESPACE);
            if (locks.retireIfIdle(idleNanos)) {
                namespaces.remove(entry.getKey(), locks); // reloaded from the log when next touched
                context.listener().on(new LockEvent.Forgotten(entry.getKey()));
            }
        }
        return done;
    }

    /**
     * Drops from memory every namespace {@code which} selects (a partition that changed owner): its
     * next request loads it afresh from the log, so leases in the log get the grace of a restart and
     * nothing learned in an earlier tenure is trusted. Parked long-polls are woken.
     */
    public void evict(Predicate<String> which) {
        for (Map.Entry<String, NamespaceLocks> entry : List.copyOf(namespaces.entrySet())) {
            NamespaceLocks locks = entry.getValue();
            if (which.test(entry.getKey()) && namespaces.remove(entry.getKey(), locks)) {
                context.owners().values().removeIf(engine -> engine == locks);
                context.ticketsKept().addAndGet(-locks.ticketsKept()); // it is swept no more
                locks.evict();
            }
        }
    }

    /** The namespace a lease or ticket id names, when it is well formed. */
    public static Optional<String> namespaceOfId(String id) {
        return LeaseIds.namespaceOf(id);
    }

    /** Long-polls waiting now; each is a few objects, no thread. */
    public int pollsParked() {
        return context.pollsParked().get();
    }

    /** How many namespaces this broker keeps in memory; idle ones are forgotten after the retention. */
    int namespacesInMemory() {
        return namespaces.size();
    }

    /**
     * Stops taking requests, answers every parked long-poll with {@link ServiceClosingException}
     * (waiting, boundedly, until each answer was handed on), and waits (boundedly) for record writes
     * in flight, so the store can be closed after.
     */
    @Override
    public void close() {
        // Releases lingering for an acquire's record are written now, while loops may still run.
        namespaces.values().forEach(NamespaceLocks::flush);
        List<NamespaceLocks> unwritten = new ArrayList<>(namespaces.values());
        for (int waited = 0; waited < CLOSE_WAIT_MILLIS; waited++) {
            unwritten.removeIf(locks -> !locks.hasEndsUnwritten());
            if (unwritten.isEmpty()) {
                break;
            }
            LockSupport.parkNanos(1_000_000);
        }
        closed = true;
        sweeper.shutdownNow();
        namespaces.values().forEach(NamespaceLocks::wakeAll);
        // Each woken poll has its 503 written when it counts itself out: the server stops after.
        for (int waited = 0; context.pollsParked().get() > 0 && waited < CLOSE_WAIT_MILLIS; waited++) {
            LockSupport.parkNanos(1_000_000);
        }
        for (NamespaceLocks locks : namespaces.values()) {
            for (int waited = 0; locks.isWriting() && waited < CLOSE_WAIT_MILLIS; waited++) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            context.failures().accept("*", e);
        }
    }

    /** Only acquires are refused for want of room: heartbeats and releases must always reach their lease. */
    private void requireRoomFor(String namespace) {
        int max = context.settings().maxNamespaces();
        if (!namespaces.containsKey(namespace) && namespaces.size() >= max) {
            throw new LimitExceededException(
                    LimitExceededException.Limit.NAMESPACES, "the broker keeps its maximum of " + max + " namespaces");
        }
    }

    private NamespaceLocks namespace(String name) {
        return namespaces.computeIfAbsent(name, n -> new NamespaceLocks(n, context));
    }

    /** The engine an id maps to, unless that engine was evicted (an id it added meanwhile is stale). */
    private @Nullable NamespaceLocks current(String id) {
        NamespaceLocks owner = context.owners().get(id);
        if (owner != null && namespaces.get(owner.namespace) != owner) {
            context.owners().remove(id, owner);
            return null;
        }
        return owner;
    }

    private NamespaceLocks ticketOwner(String id) {
        NamespaceLocks owner = current(id);
        if (owner == null) {
            throw new NotFoundException("no ticket " + id);
        }
        return owner;
    }

    /** The engine holding a lease, loading its namespace first when this broker has not touched it since start. */
    private NamespaceLocks leaseOwner(String id) {
        NamespaceLocks owner = current(id);
        Optional<String> namespace = owner == null ? LeaseIds.namespaceOf(id) : Optional.empty();
        for (int attempt = 0; namespace.isPresent() && !closed && attempt < MAX_RETIRED_RETRIES; attempt++) {
            NamespaceLocks locks = namespace(namespace.get());
            locks.load();
            owner = context.owners().get(id);
            if (owner != null || !locks.retired()) {
                break;
            }
            namespaces.remove(namespace.get(), locks); // retired while loading: a fresh engine loads it
        }
        if (owner == null) {
            throw new NotFoundException("no lease " + id);
        }
        return owner;
    }
}
