package dev.lockbroker.core;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An acquire under way: the ticket it queued (or re-joined), known at once, and its answer.
 * The ticket stays queued when the answer is cancelled (the waiter may poll it again), so a
 * quota of queued tickets counts it from here, not from the answer.
 */
public record PendingAcquire(Optional<String> queuedTicketId, CompletableFuture<AcquireOutcome> answer) {}
