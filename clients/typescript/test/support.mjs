// Test support: the client module for this runtime, and real broker processes (bin/lockbroker server).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const isDeno = typeof globalThis.Deno !== "undefined";
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "..", "..", "..");

/** Deno runs the TypeScript source (what JSR ships); Node the compiled dist/ (what npm ships). */
export const client = await import(isDeno ? "../mod.ts" : "../dist/mod.js");

/** A broker process on a free loopback port with its own data directory. */
export async function startBroker(extraArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), "lockbroker-ts-"));
  const proc = spawn(join(repoRoot, "bin", "lockbroker"), [
    "server", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir, ...extraArgs,
  ], { env: { ...process.env, LOCKBROKER_NO_CDS: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr = (stderr + d).slice(-4000); });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`broker did not start in 120 s: ${stderr}`)), 120_000);
    proc.stdout.on("data", (d) => {
      out += d;
      const m = /lockbroker listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`broker exited ${code}: ${stderr}`)); });
  });
  proc.stdout.resume();
  await warm(url);
  return {
    url,
    pid: proc.pid,
    pause: () => proc.kill("SIGSTOP"),
    resume: () => proc.kill("SIGCONT"),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGCONT");
        proc.kill("SIGKILL");
        await Promise.race([exited, sleep(5_000)]);
      }
      proc.stdout.destroy();
      proc.stderr.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh JVM answers its first requests slowly (class loading, JIT): a few grants, queued waits,
 * heartbeats and releases first, so the tests see the broker as it runs in production.
 */
async function warm(url) {
  const post = (body) => fetch(`${url}/v1/namespaces/warm-up/leases`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ mode: "exclusive", waitSeconds: 5, replyWithinMillis: 0, holder: { name: "warm-up" }, ...body }),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));
  for (let i = 0; i < 20; i++) {
    const held = await post({});
    const queued = await post({ expectedHoldSeconds: 1 });
    await fetch(`${url}/v1/leases/${held.body.leaseId}/heartbeat`, { method: "POST" }).then((r) => r.text());
    const moved = fetch(`${url}/v1/tickets/${queued.body.ticketId}?waitSeconds=5&knownPosition=1`).then((r) => r.json());
    await fetch(`${url}/v1/leases/${held.body.leaseId}`, { method: "DELETE" }).then((r) => r.text());
    const second = await moved;
    await fetch(`${url}/v1/leases/${second.leaseId}`, { method: "DELETE" }).then((r) => r.text());
  }
}

/** Runs `script` in a child process of this runtime (node, or deno run -A). */
export function spawnScript(script, args, env = {}) {
  const path = join(here, script);
  const [cmd, argv] = isDeno
    ? [Deno.execPath(), ["run", "-A", path, ...args]]
    : [process.execPath, [path, ...args]];
  return spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
}

/** Resolves with the first stdout line of `child` that matches `pattern`. */
export function lineOf(child, pattern) {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve(m);
    });
    child.on("exit", (code) => reject(new Error(`child exited ${code} before ${pattern}`)));
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Beliefs of holding, as a mutual-exclusion checker sees them: [from, to] on one monotonic clock
 * (one process); a violation is two beliefs on one key that overlap.
 */
export function overlaps(beliefs) {
  const sorted = [...beliefs].sort((a, b) => a.from - b.from);
  const bad = [];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].from < sorted[i - 1].to) bad.push([sorted[i - 1], sorted[i]]);
  }
  return bad;
}
