/**
 * Lock keys: a namespace plus an optional shard. How a swamp datastore's `lockKey` becomes a shard:
 *
 * - no `lockKey`, or swamp's `__global__`: the whole namespace (shard `null`), which conflicts with
 *   every shard — what structural commands (compact, migrate, gc) take;
 * - a `lockKey` that is already a valid name (`[A-Za-z0-9._-]{1,128}`, not `.` or `..`): that shard;
 * - anything else (e.g. `models/aws-ec2/prod`): its valid characters with `_` for the rest, cut to
 *   119 characters, then `-` and 8 hex digits of a hash of the whole key, so distinct keys stay
 *   distinct and the same key maps to the same shard on every machine.
 */

import { InvalidRequestError } from "./errors.ts";

const NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** The lock key swamp uses for its whole-datastore lock. */
export const GLOBAL_LOCK_KEY = "__global__";

/** Throws {@link InvalidRequestError} unless `value` is a valid namespace or shard name; returns it. */
export function validateName(what: string, value: string): string {
  if (typeof value !== "string" || !NAME.test(value) || value === "." || value === "..") {
    throw new InvalidRequestError(`${what} must be 1-128 characters of [A-Za-z0-9._-], not ${JSON.stringify(value)}`);
  }
  return value;
}

/** The shard a swamp `lockKey` locks; `null` is the whole namespace. */
export function shardFor(lockKey?: string | null): string | null {
  if (lockKey == null || lockKey === "" || lockKey === GLOBAL_LOCK_KEY) return null;
  if (NAME.test(lockKey) && lockKey !== "." && lockKey !== "..") return lockKey;
  const readable = lockKey.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 119);
  return `${readable}-${fnv1a(lockKey)}`;
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits: stable everywhere, no crypto needed. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
