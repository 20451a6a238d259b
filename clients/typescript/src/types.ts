/** Wire types, taken from the types generated from openapi.yaml (src/openapi.ts). */

import type { components } from "./openapi.ts";

type Schemas = components["schemas"];
export type Mode = Schemas["Mode"];
export type HolderInfo = Schemas["HolderInfo"];
export type AcquireRequest = Schemas["AcquireRequest"];
export type Lease = Schemas["Lease"];
export type Ticket = Schemas["Ticket"];
export type HolderView = Schemas["HolderView"];
export type NamespaceLocks = Schemas["NamespaceLocks"];
export type KeyLocks = Schemas["KeyLocks"];
export type ErrorBody = Schemas["Error"];
export type Gone = Schemas["Gone"];
