package dev.lockbroker.http;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.PendingAcquire;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The limit of queued tickets per token. Each token's queued tickets are the ids its acquires left
 * queued plus the acquires in flight; ids that stopped queuing (granted, cancelled, timed out,
 * abandoned) are pruned, by asking the core, only when the token is at its limit, so the common
 * acquire costs a set insert. An open broker has no tokens: the limits per namespace and in total
 * still hold.
 *
 * <p>Concurrency contract: each token's {@link Account} is guarded by its own monitor, held only to
 * count, never across the (long-polling) acquire.
 */
final class TicketQuota {
    /** How often a token at its limit has its ids checked against the core: bounds the cost of refusals. */
    private static final long PRUNE_EVERY_NANOS = 100_000_000;

    private final LockService service;
    private final int maxQueuedPerToken;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();

    private static final class Account {
        final Set<String> queued = new HashSet<>();
        int inFlight;
        long prunedAtNanos;
        boolean pruned;

        void pruneAtMostEvery(LockService service, long nowNanos) {
            if (!pruned || nowNanos - prunedAtNanos >= PRUNE_EVERY_NANOS) {
                queued.removeIf(id -> !service.isQueued(id));
                prunedAtNanos = nowNanos;
                pruned = true;
            }
        }
    }

    TicketQuota(LockService service, int maxQueuedPerToken) {
        this.service = service;
        this.maxQueuedPerToken = maxQueuedPerToken;
    }

    /**
     * Runs {@code acquire} for {@code caller} when the caller has room for one more queued ticket;
     * {@link QueuedPerTokenException} (nothing created) when it has not. A ticket the acquire
     * queued counts from the moment the core names it, whether or not its answer is ever read (a
     * client that drops the connection leaves it queued for the ticket TTL). A token at its limit
     * is re-counted at most every 100 ms, so a refusal may lag a ticket's end by that much.
     */
    CompletableFuture<AcquireOutcome> acquire(Caller caller, long nowNanos, Supplier<PendingAcquire> acquire) {
        if (Caller.OPEN.equals(caller)) {
            return acquire.get().answer();
        }
        Account account = accounts.computeIfAbsent(caller.name(), name -> new Account());
        synchronized (account) {
            if (account.queued.size() + account.inFlight >= maxQueuedPerToken) {
                account.pruneAtMostEvery(service, nowNanos);
            }
            if (account.queued.size() + account.inFlight >= maxQueuedPerToken) {
                throw new QueuedPerTokenException(caller.name(), maxQueuedPerToken);
            }
            account.inFlight++; // a place held while the core decides, so racing acquires cannot overshoot
        }
        PendingAcquire pending = null;
        try {
            pending = acquire.get();
            // The caller gets the core's own future, so cancelling it (a client gone) reaches the poll.
            return pending.answer();
        } finally {
            settle(account, pending == null ? Optional.empty() : pending.queuedTicketId());
        }
    }

    /** The core decided: a ticket it queued counts from now, until pruning finds it ended. */
    private static void settle(Account account, Optional<String> queuedTicketId) {
        synchronized (account) {
            account.inFlight--;
            queuedTicketId.ifPresent(account.queued::add);
        }
    }

    /** Queued tickets counted against {@code token} now (after pruning), for tests and metrics. */
    int queuedOf(String token) {
        Account account = accounts.get(token);
        if (account == null) {
            return 0;
        }
        synchronized (account) {
            account.queued.removeIf(id -> !service.isQueued(id));
            return account.queued.size() + account.inFlight;
        }
    }
}
