/** Monotonic time, sleeps that honour an AbortSignal, and timers that do not keep the process alive. */

/** Milliseconds on a monotonic clock. */
export function now(): number {
  return performance.now();
}

/** A timer that lets the process exit (Node/Bun `unref`, Deno `unrefTimer`). */
export function backgroundTimer(fn: () => void, ms: number): () => void {
  const id: any = setTimeout(fn, Math.max(0, ms));
  if (typeof id?.unref === "function") id.unref();
  else (globalThis as any).Deno?.unrefTimer?.(id);
  return () => clearTimeout(id);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const id = setTimeout(done, Math.max(0, ms));
    function done() {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(id);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", aborted, { once: true });
  });
}
