package dev.lockbroker.http;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.LockService;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
     * {@link QueuedPerTokenException} (nothing created) when it has not. A token at its limit is
     * re-counted at most every 100 ms, so a refusal may lag a ticket's end by that much.
     */
    CompletableFuture<AcquireOutcome> acquire(
            Caller caller, long nowNanos, Supplier<CompletableFuture<AcquireOutcome>> acquire) {
        if (Caller.OPEN.equals(caller)) {
            return acquire.get();
        }
        Account account = accounts.computeIfAbsent(caller.name(), name -> new Account());
        synchronized (account) {
            if (account.queued.size() + account.inFlight >= maxQueuedPerToken) {
                account.pruneAtMostEvery(service, nowNanos);
            }
            if (account.queued.size() + account.inFlight >= maxQueuedPerToken) {
                throw new QueuedPerTokenException(caller.name(), maxQueuedPerToken);
            }
            account.inFlight++;
        }
        CompletableFuture<AcquireOutcome> outcome;
        try {
            outcome = acquire.get();
        } catch (RuntimeException e) {
            settle(account, null);
            throw e;
        }
        // The caller gets the core's own future, so cancelling it (a client gone) reaches the poll.
        var unused = outcome.whenComplete((answered, failure) -> settle(account, answered));
        return outcome;
    }

    /** The acquire in flight has its answer: a ticket left queued counts from now. */
    private static void settle(Account account, @Nullable AcquireOutcome outcome) {
        synchronized (account) {
            account.inFlight--;
            if (outcome instanceof AcquireOutcome.Queued queued) {
                account.queued.add(queued.ticket().ticketId());
            }
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
