/** The connection to one lockbroker server: URL, bearer token, TLS trust, and the HTTP calls. */

import { BrokerUnavailableError, InvalidRequestError, LockBrokerError, UnauthorizedError, UnsupportedError } from "./errors.ts";
import { BrokerLock, type BrokerLockOptions } from "./lock.ts";
import type { HolderInfo, NamespaceLocks } from "./types.ts";
import { validateName } from "./keys.ts";

/** How to reach the broker. */
export interface LockBrokerOptions {
  /** The broker's base URL, e.g. `http://localhost:8080`. */
  url: string;
  /** Bearer token, when the broker is started with one. */
  token?: string;
  /**
   * PEM CA certificate(s) to trust for an `https` URL with a private CA. Deno and Bun take it here;
   * on Node set `NODE_EXTRA_CA_CERTS` instead (Node's fetch has no per-call CA without a dependency).
   */
  caCert?: string;
  /** Who this process is, shown to waiters and operators; defaults to the script name, host and pid. */
  holder?: HolderInfo;
  /** A fetch to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch;
}

/** One answer of the broker: status, parsed JSON body (or null), Location header. */
export interface Reply {
  status: number;
  body: any;
  location: string | null;
}

/** A revoked lease, as `DELETE /v1/namespaces/{ns}/locks` answers. */
export interface Revoked {
  leaseId: string;
  fencingToken: number;
}

/** A lockbroker server; makes {@link BrokerLock}s and answers status questions. */
export class LockBroker {
  readonly url: string;
  readonly holder: HolderInfo;
  readonly #token?: string;
  readonly #fetch: typeof fetch;
  readonly #fetchExtras: Record<string, unknown>;

  constructor(options: LockBrokerOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new InvalidRequestError(`not a URL: ${options.url}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new InvalidRequestError(`the broker URL must be http or https: ${options.url}`);
    }
    this.url = options.url.replace(/\/+$/, "");
    this.holder = options.holder ?? defaultHolder();
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#fetchExtras = options.caCert ? tlsExtras(options.caCert) : {};
  }

  /** A lock on `namespace` (and `shard`/`lockKey`, see {@link BrokerLockOptions}); nothing is sent yet. */
  lock(namespace: string, options: BrokerLockOptions = {}): BrokerLock {
    return new BrokerLock(this, namespace, options);
  }

  /** Holders and queue of every key in `namespace`. */
  async status(namespace: string, signal?: AbortSignal): Promise<NamespaceLocks> {
    validateName("namespace", namespace);
    const reply = await this.send("GET", `/v1/namespaces/${namespace}/locks`, undefined, { signal });
    if (reply.status !== 200) throw failure(reply);
    return reply.body as NamespaceLocks;
  }

  /**
   * Ends the lease holding a key, if its fencing token is `fencingToken` (when given): revoke by key
   * (`DELETE /v1/namespaces/{ns}/locks`). Returns what was revoked, or null when nothing held the key
   * (404 `not_held`) or another lease holds it (409 `holder_mismatch`). Needs the admin role when the
   * broker has a token configuration.
   */
  async revoke(
    namespace: string,
    options: { shard?: string | null; fencingToken?: number; reason?: string; signal?: AbortSignal } = {},
  ): Promise<Revoked[] | null> {
    validateName("namespace", namespace);
    const query = new URLSearchParams();
    if (options.shard != null) query.set("shard", validateName("shard", options.shard));
    if (options.fencingToken != null) query.set("fencingToken", String(options.fencingToken));
    if (options.reason) query.set("reason", options.reason);
    const qs = query.size > 0 ? `?${query}` : "";
    const reply = await this.send("DELETE", `/v1/namespaces/${namespace}/locks${qs}`, undefined, options);
    if (reply.status === 200) return (reply.body?.revoked ?? []) as Revoked[];
    if (reply.status === 409 && reply.body?.error === "holder_mismatch") return null;
    if (reply.status === 404 && reply.body?.error === "not_held") return null;
    if (reply.status === 404 || reply.status === 405) {
      throw new UnsupportedError("unsupported", `this broker does not offer revoke by key (HTTP ${reply.status})`, reply.status);
    }
    throw failure(reply);
  }

  /**
   * Sends one request. Network failures become {@link BrokerUnavailableError}; an abort of `signal`
   * rejects with the signal's reason. `timeoutMs` bounds the whole exchange.
   */
  async send(
    method: string,
    path: string,
    body?: unknown,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.#token) headers.Authorization = `Bearer ${this.#token}`;
    const signals = [AbortSignal.timeout(Math.max(1, Math.ceil(options.timeoutMs ?? 60_000)))];
    if (options.signal) signals.push(options.signal);
    const signal = AbortSignal.any(signals);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(this.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        ...this.#fetchExtras,
      } as RequestInit);
      text = await response.text();
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new BrokerUnavailableError("unreachable", `lockbroker at ${this.url} is unreachable: ${errorText(e)}`);
    }
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { error: "not_json", message: text.slice(0, 200) };
      }
    }
    return { status: response.status, body: parsed, location: response.headers.get("Location") };
  }
}

/** The typed error for an answer the caller did not expect. */
export function failure(reply: Reply): LockBrokerError {
  const code = String(reply.body?.error ?? `http_${reply.status}`);
  const message = String(reply.body?.message ?? `HTTP ${reply.status}`);
  if (reply.status === 400 || reply.status === 413) return new InvalidRequestError(message, reply.status, code);
  if (reply.status === 401 || reply.status === 403) return new UnauthorizedError(code, message, reply.status);
  if (reply.status >= 500) return new BrokerUnavailableError(code, message, reply.status);
  return new LockBrokerError(code, message, reply.status);
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}

/** Per-runtime fetch options that trust `caCert`: Deno's HTTP client, Bun's `tls`. */
function tlsExtras(caCert: string): Record<string, unknown> {
  const deno = (globalThis as any).Deno;
  if (deno?.createHttpClient) return { client: deno.createHttpClient({ caCerts: [caCert] }) };
  if ((globalThis as any).Bun) return { tls: { ca: caCert } };
  throw new InvalidRequestError("caCert is not supported on this runtime: on Node set NODE_EXTRA_CA_CERTS to the CA file");
}

/** The script's name, the host and the pid, as far as the runtime tells without extra permissions. */
function defaultHolder(): HolderInfo {
  const g = globalThis as any;
  const deno = g.Deno;
  const proc = g.process;
  let host: string | null = null;
  try {
    // Node >= 20.16 and Bun: process.getBuiltinModule; no import, so no dependency on Node's types.
    host = deno?.hostname?.() ?? proc?.getBuiltinModule?.("os")?.hostname?.() ?? null;
  } catch {
    host = null;
  }
  const pid: number | null = deno?.pid ?? proc?.pid ?? null;
  const script = (deno?.mainModule ?? proc?.argv?.[1] ?? "lockbroker-ts").split("/").pop() || "lockbroker-ts";
  return { name: script.slice(0, 256), host: host ? String(host).slice(0, 256) : null, pid };
}
