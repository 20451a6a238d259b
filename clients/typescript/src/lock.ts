/**
 * A lock on one key of a lockbroker namespace, in the shape of swamp's `DistributedLock`:
 * `acquire()`, `release()`, `withLock(fn)`, `inspect()`, `forceRelease(nonce)`. One lease at a time
 * per instance; make one instance per concurrent holder.
 */

import type { LockBroker } from "./broker.ts";
import { InvalidRequestError, LeaseLostError, LockBrokerError } from "./errors.ts";
import { shardFor, validateName } from "./keys.ts";
import { HeldLease } from "./lease.ts";
import type { HolderInfo, HolderView, Lease, Mode, Ticket } from "./types.ts";
import { waitForLease } from "./wait.ts";

/** What swamp's `LockInfo` holds: who holds the lock, since when, for how long. */
export interface LockInfo {
  holder: string;
  hostname: string;
  pid: number;
  acquiredAt: string;
  /** This lock's TTL when the holder is this instance; otherwise the time left until the broker's expiry. */
  ttlMs: number;
  /** The holder's fencing token as a decimal string: what {@link BrokerLock.forceRelease} takes. */
  nonce?: string;
}

/** The `DistributedLock` interface swamp's datastores program against. */
export interface DistributedLock {
  acquire(): Promise<void>;
  release(): Promise<void>;
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  inspect(): Promise<LockInfo | null>;
  forceRelease(expectedNonce: string): Promise<boolean>;
}

export interface BrokerLockOptions {
  /** The shard to lock; `null` or omitted (with no `lockKey`) locks the whole namespace. */
  shard?: string | null;
  /** A swamp lock key, mapped to a shard by {@link shardFor}; ignored when `shard` is given. */
  lockKey?: string;
  mode?: Mode;
  /** Lease TTL; whole seconds from 1 s to 1 h (rounded up). Default 30 s. */
  ttlMs?: number;
  /** How long `acquire` waits in the queue; 0 tries once. Default 60 s, at most 1 h. */
  maxWaitMs?: number;
  /** Accepted for swamp's `LockOptions`; unused: the broker hands the lock over, nobody polls. */
  retryIntervalMs?: number;
  /** How long this caller expects to hold the lock, so waiters get an ETA before the key has history. */
  expectedHoldMs?: number;
  /** Give up at once (LockTimeoutError `eta_exceeds_deadline`) when the broker's ETA passes `maxWaitMs`. */
  giveUpEarly?: boolean;
  /** Called with each queue answer: position, who holds it and for how long, ETA. */
  onProgress?: (ticket: Ticket) => void;
  holder?: HolderInfo;
}

export class BrokerLock implements DistributedLock {
  readonly namespace: string;
  readonly shard: string | null;
  readonly mode: Mode;
  readonly ttlMs: number;
  readonly maxWaitMs: number;
  readonly #broker: LockBroker;
  readonly #options: BrokerLockOptions;
  #held: HeldLease | null = null;

  constructor(broker: LockBroker, namespace: string, options: BrokerLockOptions = {}) {
    this.#broker = broker;
    this.#options = options;
    this.namespace = validateName("namespace", namespace);
    this.shard = options.shard !== undefined ? (options.shard === null ? null : validateName("shard", options.shard)) : shardFor(options.lockKey);
    this.mode = options.mode ?? "exclusive";
    if (this.mode !== "exclusive" && this.mode !== "shared") throw new InvalidRequestError(`mode must be exclusive or shared, not ${this.mode}`);
    this.ttlMs = whole("ttlMs", options.ttlMs ?? 30_000, 1_000, 3_600_000);
    this.maxWaitMs = range("maxWaitMs", options.maxWaitMs ?? 60_000, 0, 3_600_000);
    if (options.expectedHoldMs !== undefined) range("expectedHoldMs", options.expectedHoldMs, 1, 86_400_000);
  }

  /** The current lease, while held. */
  get lease(): Lease | undefined {
    return this.#held?.info;
  }

  /** The fencing token of the current lease: pass it to the resource so it can refuse stale writers. */
  get fencingToken(): number | undefined {
    return this.#held?.info.fencingToken;
  }

  /** Aborts (reason: {@link LeaseLostError}) when the current lease is lost; undefined while not held. */
  get signal(): AbortSignal | undefined {
    return this.#held?.signal;
  }

  /** Whether the lease is held and within its last confirmed validity. */
  get isHeld(): boolean {
    return this.#held?.isValid ?? false;
  }

  /** Joins the queue and resolves once held; rejects with LockTimeoutError after `maxWaitMs`. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.#held) throw new LockBrokerError("already_held", `this lock already holds lease ${this.#held.info.leaseId}`);
    const o = this.#options;
    const granted = await waitForLease(this.#broker, {
      namespace: this.namespace,
      body: {
        shard: this.shard,
        mode: this.mode,
        ttlSeconds: this.ttlMs / 1000,
        waitSeconds: Math.ceil(this.maxWaitMs / 1000),
        holder: o.holder ?? this.#broker.holder,
        requestId: crypto.randomUUID(),
        ...(o.expectedHoldMs !== undefined ? { expectedHoldSeconds: Math.max(1, Math.round(o.expectedHoldMs / 1000)) } : {}),
      },
      maxWaitMs: this.maxWaitMs,
      giveUpEarly: o.giveUpEarly ?? false,
      onProgress: o.onProgress,
      signal,
    });
    this.#held = new HeldLease(this.#broker, granted.lease, granted.grantedNotBefore);
  }

  /** Releases the lease; a no-op when not held or already lost. */
  async release(): Promise<void> {
    const held = this.#held;
    if (!held) return;
    this.#held = null;
    held.stop();
    const reply = await this.#broker.send("DELETE", `/v1/leases/${held.info.leaseId}`, undefined, { timeoutMs: 5_000 });
    if (reply.status !== 204 && reply.status !== 404 && reply.status !== 410) {
      throw new LockBrokerError(String(reply.body?.error ?? reply.status), `release failed: ${reply.body?.message ?? reply.status}`, reply.status);
    }
  }

  /**
   * Acquires, runs `fn`, and releases whatever happens. `fn` gets an AbortSignal that fires before
   * the lease could expire at the broker (when it is lost); the returned promise then rejects with
   * the {@link LeaseLostError} even if `fn` ignores the signal.
   */
  async withLock<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    const held = this.#held!;
    let onLost: () => void = () => {};
    const lost = new Promise<never>((_, reject) => {
      onLost = () => reject(held.signal.reason);
      held.signal.addEventListener("abort", onLost, { once: true });
    });
    try {
      return await Promise.race([fn(held.signal), lost]);
    } finally {
      held.signal.removeEventListener("abort", onLost);
      lost.catch(() => {});
      await this.release().catch((e) => {
        if (!(e instanceof LockBrokerError)) throw e; // the lease expires by itself
      });
    }
  }

  /** Who holds this key (or, for the whole namespace, any key) now; null when nobody does. */
  async inspect(signal?: AbortSignal): Promise<LockInfo | null> {
    const status = await this.#broker.status(this.namespace, signal);
    const holders: HolderView[] = status.locks
      .filter((k) => this.shard === null || k.shard === null || k.shard === this.shard)
      .flatMap((k) => k.holders);
    if (holders.length === 0) return null;
    const h = holders[0];
    const mine = this.#held?.info.fencingToken === h.fencingToken;
    return {
      holder: h.holder.name,
      hostname: h.holder.host ?? "",
      pid: h.holder.pid ?? 0,
      acquiredAt: new Date(Date.now() - h.heldSeconds * 1000).toISOString(),
      ttlMs: mine ? this.ttlMs : Math.max(0, Date.parse(h.expiresAt) - Date.now()),
      nonce: String(h.fencingToken),
    };
  }

  /**
   * Revokes the lease holding this key if its fencing token is `expectedNonce` (as {@link inspect}
   * shows it): true when revoked, false when nothing holds the key or another lease does.
   */
  async forceRelease(expectedNonce: string): Promise<boolean> {
    if (!/^[1-9][0-9]{0,18}$/.test(expectedNonce)) {
      throw new InvalidRequestError(`the nonce is a lease's fencing token (a positive integer), not ${JSON.stringify(expectedNonce)}`);
    }
    const revoked = await this.#broker.revoke(this.namespace, {
      shard: this.shard,
      fencingToken: Number(expectedNonce),
      reason: `forceRelease by ${this.#broker.holder.name}`,
    });
    return revoked !== null;
  }
}

function range(what: string, value: number, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidRequestError(`${what} must be a number from ${min} to ${max}, not ${value}`);
  }
  return value;
}

/** Whole seconds, rounded up, in milliseconds. */
function whole(what: string, value: number, min: number, max: number): number {
  return Math.ceil(range(what, value, min, max) / 1000) * 1000;
}
