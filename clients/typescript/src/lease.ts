/**
 * A granted lease kept alive by background heartbeats. Validity follows the Java client's rule: a
 * heartbeat (or grant) answered for a request sent at `s` keeps the lease valid until
 * `s + ttl - margin` on this process's monotonic clock, margin = min(ttl / 4, 10 s). The broker starts
 * the TTL no earlier than it receives the request, so the lease is lost here before the broker could
 * give the lock to anyone else. Heartbeats go every TTL/3 from the last send; an unconfirmed one is
 * retried every ttl/20 (50 ms – 1 s) until validity runs out.
 */

import type { LockBroker } from "./broker.ts";
import { BrokerUnavailableError, LeaseLostError } from "./errors.ts";
import { backgroundTimer, now } from "./time.ts";
import type { Lease } from "./types.ts";

const MAX_MARGIN_MS = 10_000;

/** When a lease heartbeats and how long it may be trusted (the Java client's HeartbeatPolicy). */
export function heartbeatPolicy(ttlMs: number) {
  return {
    intervalMs: ttlMs / 3,
    marginMs: Math.min(ttlMs / 4, MAX_MARGIN_MS),
    retryMs: Math.max(50, Math.min(1_000, ttlMs / 20)),
  };
}

export class HeldLease {
  readonly info: Lease;
  readonly #broker: LockBroker;
  readonly #ttlMs: number;
  readonly #policy: ReturnType<typeof heartbeatPolicy>;
  readonly #controller = new AbortController();
  #validUntil: number;
  #cancelBeat: () => void = () => {};
  #cancelExpiry: () => void = () => {};
  #stopped = false;

  /** `grantedNotBefore`: the send time of the earliest request that may have caused the grant. */
  constructor(broker: LockBroker, info: Lease, grantedNotBefore: number) {
    this.#broker = broker;
    this.info = info;
    this.#ttlMs = info.ttlSeconds * 1000;
    this.#policy = heartbeatPolicy(this.#ttlMs);
    this.#validUntil = grantedNotBefore + this.#ttlMs - this.#policy.marginMs;
    this.#armExpiry();
    this.#scheduleBeat(grantedNotBefore + this.#policy.intervalMs);
  }

  /** Aborted, with a {@link LeaseLostError} as its reason, the moment the lease is lost. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Monotonic time (performance.now()) until which the lease is known to be held. */
  get validUntil(): number {
    return this.#validUntil;
  }

  get isValid(): boolean {
    return !this.#stopped && !this.signal.aborted && now() < this.#validUntil;
  }

  /** Stops heartbeating (before a release). */
  stop(): void {
    this.#stopped = true;
    this.#cancelBeat();
    this.#cancelExpiry();
  }

  #scheduleBeat(at: number): void {
    this.#cancelBeat();
    this.#cancelBeat = backgroundTimer(() => void this.#beat(), at - now());
  }

  #armExpiry(): void {
    this.#cancelExpiry();
    this.#cancelExpiry = backgroundTimer(() => {
      if (now() >= this.#validUntil) {
        this.#lose(new LeaseLostError("unconfirmed", `lease ${this.info.leaseId}: no heartbeat confirmed within its validity`, false));
      } else {
        this.#armExpiry();
      }
    }, this.#validUntil - now());
  }

  async #beat(): Promise<void> {
    if (this.#stopped || this.signal.aborted) return;
    const sent = now();
    try {
      const reply = await this.#broker.send("POST", `/v1/leases/${this.info.leaseId}/heartbeat`, undefined, {
        timeoutMs: Math.max(1, this.#validUntil - sent),
        signal: this.signal,
      });
      if (this.#stopped) return;
      if (reply.status === 200) {
        this.#validUntil = Math.max(this.#validUntil, sent + this.#ttlMs - this.#policy.marginMs);
        this.#armExpiry();
        this.#scheduleBeat(sent + this.#policy.intervalMs);
        return;
      }
      if (reply.status === 404 || reply.status === 410) {
        const reason = String(reply.body?.reason ?? reply.body?.error ?? "gone");
        const message = String(reply.body?.message ?? `HTTP ${reply.status}`);
        this.#lose(new LeaseLostError(reason, `lease ${this.info.leaseId} was lost: ${message}`, true));
        return;
      }
    } catch (e) {
      if (!(e instanceof BrokerUnavailableError)) {
        this.#lose(new LeaseLostError("client_error", `heartbeat of ${this.info.leaseId} failed: ${e}`, false));
        return;
      }
      // Unreachable or timed out: retried below while the lease is still valid.
    }
    if (!this.#stopped && !this.signal.aborted) this.#scheduleBeat(now() + this.#policy.retryMs);
  }

  #lose(cause: LeaseLostError): void {
    if (this.signal.aborted || this.#stopped) return;
    this.#cancelBeat();
    this.#cancelExpiry();
    this.#controller.abort(cause);
  }
}
