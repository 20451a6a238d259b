/**
 * One wait for a lease: POST to join the queue, then long-poll the ticket until it is granted, ends,
 * or the deadline passes. The POST carries a random `requestId`, so a retry after a network error
 * cannot queue twice. It asks for a short first answer (`replyWithinMillis`) and polls with
 * `knownPosition`, so the waiter sees its place, its holders and an ETA within a second and each move
 * of the queue. Giving up (deadline, abort, broker gone) leaves the queue.
 */

import { failure, type LockBroker, type Reply } from "./broker.ts";
import { BrokerUnavailableError, LockBrokerError, LockTimeoutError } from "./errors.ts";
import { now, sleep } from "./time.ts";
import type { AcquireRequest, HolderView, Lease, Ticket } from "./types.ts";

const FIRST_REPLY_MS = 300;
const MAX_POLL_SECONDS = 25;
const ANSWER_GRACE_MS = 2_000;
const UNREACHABLE_BUDGET_MS = 3_000;
const REQUEST_SLACK_MS = 15_000;

export interface WaitSpec {
  namespace: string;
  body: AcquireRequest;
  maxWaitMs: number;
  giveUpEarly: boolean;
  onProgress?: (ticket: Ticket) => void;
  signal?: AbortSignal;
}

/** An answer and the send time of the earliest unanswered request before it. */
interface Sent {
  reply: Reply;
  grantedNotBefore: number;
}

/** The grant and the earliest send time of the requests that may have caused it. */
export interface Granted {
  lease: Lease;
  grantedNotBefore: number;
}

export async function waitForLease(broker: LockBroker, spec: WaitSpec): Promise<Granted> {
  const wait = new Wait(broker, spec);
  try {
    return await wait.run();
  } catch (e) {
    await wait.leaveQueue();
    throw e;
  }
}

class Wait {
  readonly #broker: LockBroker;
  readonly #spec: WaitSpec;
  readonly #deadline: number;
  /** Fires at maxWaitMs (the broker counts whole seconds), or when the caller aborts. */
  readonly #deadlineSignal?: AbortSignal;
  readonly #signal?: AbortSignal;
  #lastHolders: HolderView[] = [];
  #ticketPath: string | null = null;
  #joining = false;
  #position = 1;
  #firstUnansweredSend: number | null = null;

  constructor(broker: LockBroker, spec: WaitSpec) {
    this.#broker = broker;
    this.#spec = spec;
    this.#deadline = now() + spec.maxWaitMs;
    if (spec.maxWaitMs > 0) this.#deadlineSignal = AbortSignal.timeout(Math.ceil(spec.maxWaitMs));
    const signals = [spec.signal, this.#deadlineSignal].filter((s): s is AbortSignal => s !== undefined);
    this.#signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  }

  async run(): Promise<Granted> {
    try {
      return await this.#follow();
    } catch (e) {
      if (this.#deadlineSignal?.aborted && !this.#spec.signal?.aborted && !(e instanceof LockTimeoutError)) {
        const fresh = await this.#holdersNow();
        const holders = fresh.length > 0 ? fresh : this.#lastHolders;
        throw new LockTimeoutError("timed_out", `not granted within ${this.#spec.maxWaitMs} ms`, holders);
      }
      throw e;
    }
  }

  async #follow(): Promise<Granted> {
    this.#joining = true;
    let sent = await this.#sendRetrying("POST", this.#joinPath(), { ...this.#spec.body, replyWithinMillis: FIRST_REPLY_MS }, this.#spec.maxWaitMs);
    this.#joining = false;
    while (true) {
      const granted = this.#interpret(sent.reply, sent.grantedNotBefore);
      if (granted) return granted;
      sent = await this.#poll();
    }
  }

  #joinPath(): string {
    return `/v1/namespaces/${this.#spec.namespace}/leases`;
  }

  async #poll(): Promise<Sent> {
    const remaining = this.#deadline - now();
    if (remaining < -ANSWER_GRACE_MS) {
      throw new LockTimeoutError("timed_out", "the wait deadline passed", await this.#holdersNow());
    }
    const seconds = Math.min(MAX_POLL_SECONDS, Math.max(0, Math.ceil(remaining / 1000)));
    const path = `${this.#ticketPath}?waitSeconds=${seconds}&knownPosition=${this.#position}`;
    return await this.#sendRetrying("GET", path, undefined, seconds * 1000);
  }

  /** The grant, or null to go on polling; throws for every ending that is not a grant. */
  #interpret(reply: Reply, grantedNotBefore: number): Granted | null {
    const body = reply.body;
    switch (reply.status) {
      case 200:
      case 201:
        this.#ticketPath = null;
        return { lease: body as Lease, grantedNotBefore };
      case 202: {
        const ticket = body as Ticket;
        this.#ticketPath = reply.location ?? `/v1/tickets/${ticket.ticketId}`;
        this.#position = ticket.position;
        this.#lastHolders = ticket.holders;
        this.#spec.onProgress?.(ticket);
        if (this.#spec.giveUpEarly && ticket.etaExceedsDeadline) {
          throw new LockTimeoutError(
            "eta_exceeds_deadline",
            `position ${ticket.position}, ETA ${ticket.etaSeconds?.toFixed(1)}s passes the ${(this.#spec.maxWaitMs / 1000).toFixed(1)}s wait`,
            ticket.holders,
          );
        }
        return null;
      }
      case 409:
        throw new LockTimeoutError(String(body?.error), String(body?.message), holdersOf(body), 409);
      case 410:
        this.#ticketPath = null;
        if (body?.reason === "timed_out" || body?.reason === "busy") {
          throw new LockTimeoutError(String(body.reason), String(body.message), holdersOf(body), 410);
        }
        throw new LockBrokerError(String(body?.error), `left the queue: ${body?.reason}: ${body?.message}`, 410);
      default:
        throw failure(reply);
    }
  }

  /**
   * Sends, retrying network errors (for a short budget) and 503 answers (until the deadline) with
   * backoff; records when an unanswered request was first sent, since a grant may date from then.
   */
  async #sendRetrying(method: string, path: string, body: unknown, windowMs: number): Promise<Sent> {
    let backoff = 100;
    let unreachableSince: number | null = null;
    while (true) {
      const sent = now();
      this.#firstUnansweredSend ??= sent;
      const grantedNotBefore = this.#firstUnansweredSend;
      try {
        const reply = await this.#broker.send(method, path, body, {
          signal: this.#signal,
          timeoutMs: windowMs + REQUEST_SLACK_MS,
        });
        if (reply.status === 202) {
          // A grant the next poll brings may date from no earlier than this send.
          this.#firstUnansweredSend = sent;
          return { reply, grantedNotBefore };
        }
        if (reply.status !== 503 || now() >= this.#deadline) {
          if (reply.status !== 503) this.#firstUnansweredSend = null;
          return { reply, grantedNotBefore };
        }
        unreachableSince = null; // a 503 may hide a written grant: keep the earlier send time
      } catch (e) {
        if (!(e instanceof BrokerUnavailableError)) throw e;
        unreachableSince ??= sent;
        if (now() - unreachableSince >= UNREACHABLE_BUDGET_MS) throw e;
      }
      await sleep(backoff, this.#signal);
      backoff = Math.min(1_000, backoff * 2);
    }
  }

  /** Who holds the key now, for a deadline the broker did not answer in time; best effort. */
  async #holdersNow(): Promise<HolderView[]> {
    try {
      const status = await this.#broker.status(this.#spec.namespace);
      const shard = this.#spec.body.shard ?? null;
      return status.locks.filter((k) => k.shard === null || shard === null || k.shard === shard).flatMap((k) => k.holders);
    } catch {
      return [];
    }
  }

  /** Deletes the ticket, if one is outstanding; best effort (the broker drops unpolled tickets anyway). */
  async leaveQueue(): Promise<void> {
    if (this.#ticketPath === null && !this.#joining) return;
    try {
      const path = this.#ticketPath ?? (await this.#joinedPath());
      if (path) await this.#broker.send("DELETE", path, undefined, { timeoutMs: 2_000 });
    } catch {
      // The broker drops a ticket nobody polls after its ticket TTL.
    } finally {
      this.#ticketPath = null;
      this.#joining = false;
    }
  }

  /** What an unanswered POST created: repeating its requestId with no wait answers with it at once. */
  async #joinedPath(): Promise<string | null> {
    const reply = await this.#broker.send("POST", this.#joinPath(), { ...this.#spec.body, waitSeconds: 0 }, { timeoutMs: 2_000 });
    if (reply.status === 202) return reply.location ?? `/v1/tickets/${reply.body.ticketId}`;
    if (reply.status === 200 || reply.status === 201) return `/v1/leases/${reply.body.leaseId}`;
    return null;
  }
}

function holdersOf(body: any): HolderView[] {
  return Array.isArray(body?.holders) ? (body.holders as HolderView[]) : [];
}
