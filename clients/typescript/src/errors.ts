/** Typed errors of the lockbroker client; every one extends {@link LockBrokerError}. */

import type { HolderView } from "./types.ts";

/** Any failure the client reports; `code` is the broker's `error` field or the client's own. */
export class LockBrokerError extends Error {
  readonly code: string;
  readonly status?: number;
  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** The request was refused as malformed (HTTP 400), or the client refused it before sending. */
export class InvalidRequestError extends LockBrokerError {
  constructor(message: string, status?: number, code = "invalid_request") {
    super(code, message, status);
  }
}

/** The broker wants a (different) bearer token, or the caller's role may not do this (401/403). */
export class UnauthorizedError extends LockBrokerError {}

/** The broker could not be reached, or answered 5xx for longer than the client retries. */
export class BrokerUnavailableError extends LockBrokerError {}

/** The broker does not offer an operation (an older broker). */
export class UnsupportedError extends LockBrokerError {}

/** Not granted within the wait (or, with `giveUpEarly`, the ETA already passes it): names who holds it. */
export class LockTimeoutError extends LockBrokerError {
  /** The holders the request waited behind, with how long each had held (`heldSeconds`). */
  readonly holders: HolderView[];
  constructor(code: string, message: string, holders: HolderView[], status?: number) {
    super(code, `${message}${describeHolders(holders)}`, status);
    this.holders = holders;
  }
}

/** The lease ended or could no longer be confirmed: stop writing under it. */
export class LeaseLostError extends LockBrokerError {
  /** True when the broker said so (released, expired, revoked); false when no heartbeat was confirmed in time. */
  readonly confirmedByBroker: boolean;
  constructor(code: string, message: string, confirmedByBroker: boolean) {
    super(code, message);
    this.confirmedByBroker = confirmedByBroker;
  }
}

/** " (held by sync@ci-7 pid 42 for 12.0s)" for the first holder, or "" when none is known. */
export function describeHolders(holders: HolderView[]): string {
  if (holders.length === 0) return "";
  const h = holders[0];
  const who = h.holder.name + (h.holder.host ? `@${h.holder.host}` : "") +
    (h.holder.pid != null ? ` pid ${h.holder.pid}` : "");
  const more = holders.length > 1 ? ` and ${holders.length - 1} more` : "";
  return ` (held by ${who} for ${h.heldSeconds.toFixed(1)}s${more})`;
}
