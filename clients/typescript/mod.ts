/**
 * Client for lockbroker: fair FIFO locks with leases, heartbeats and fencing tokens, on `fetch`
 * alone (Deno, Node >= 20, Bun). `BrokerLock` has the shape of swamp's `DistributedLock`.
 *
 * @module
 */

export { LockBroker, type LockBrokerOptions, type Revoked } from "./src/broker.ts";
export { BrokerLock, type BrokerLockOptions, type DistributedLock, type LockInfo } from "./src/lock.ts";
export { GLOBAL_LOCK_KEY, shardFor } from "./src/keys.ts";
export { heartbeatPolicy } from "./src/lease.ts";
export {
  BrokerUnavailableError,
  InvalidRequestError,
  LeaseLostError,
  LockBrokerError,
  LockTimeoutError,
  UnauthorizedError,
  UnsupportedError,
} from "./src/errors.ts";
export type { HolderInfo, HolderView, Lease, Mode, NamespaceLocks, Ticket } from "./src/types.ts";
