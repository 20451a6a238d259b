// Measurement (a main, not a test): how soon a waiter sees its position, its holder and an ETA after
// joining a queue — through the TypeScript client's onProgress and through `lockbroker run`'s
// progress line (a JVM start included) — against a broker with the production 25 s long-poll window.
//   node bench/first_position.mjs [samples=20]
import { spawn } from "node:child_process";
import { join } from "node:path";
import { LockBroker } from "../dist/mod.js";
import { repoRoot, startBroker } from "../test/support.mjs";

const samples = Number(process.argv[2] ?? 20);
const broker = await startBroker();
const lb = new LockBroker({ url: broker.url });
const holder = lb.lock("visible", { holder: { name: "long-sync", host: "mac", pid: 4242 }, expectedHoldMs: 60_000 });
await holder.acquire();

const client = [];
for (let i = 0; i < samples; i++) {
  const stop = new AbortController();
  const joined = performance.now();
  let seen;
  const waiter = lb.lock("visible", {
    maxWaitMs: 120_000,
    onProgress: (t) => {
      seen ??= { ms: performance.now() - joined, t };
      stop.abort(new Error("measured"));
    },
  });
  await waiter.acquire(stop.signal).catch(() => {});
  client.push(seen.ms);
}

const cli = [];
for (let i = 0; i < Math.min(5, samples); i++) {
  const started = performance.now();
  const child = spawn(join(repoRoot, "bin", "lockbroker"), ["run", "-n", "visible", "--wait", "2m", "--", "true"], {
    env: { ...process.env, LOCKBROKER_URL: broker.url },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const line = await new Promise((resolve) => {
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
      const m = /lockbroker: waiting for .*position .*/.exec(err);
      if (m) resolve({ ms: performance.now() - started, text: m[0] });
    });
  });
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  cli.push(line);
}
// Baseline, same run: a plain long-poll join (no replyWithinMillis), as clients joined before.
const plainStart = performance.now();
const plain = await fetch(`${broker.url}/v1/namespaces/visible/leases`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ mode: "exclusive", waitSeconds: 60, holder: { name: "plain" } }),
});
const plainMs = performance.now() - plainStart;
const plainTicket = await plain.json();
await fetch(`${broker.url}/v1/tickets/${plainTicket.ticketId}`, { method: "DELETE" });
await holder.release();
await broker.stop();

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
console.log(`first visible position, holder and ETA after joining (broker long-poll window 25 s)`);
console.log(`  TS client onProgress: p50 ${pct(client, 0.5).toFixed(0)} ms, max ${Math.max(...client).toFixed(0)} ms over ${client.length}`);
const cliMs = cli.map((c) => c.ms);
console.log(`  lockbroker run (JVM start included): p50 ${pct(cliMs, 0.5).toFixed(0)} ms, max ${Math.max(...cliMs).toFixed(0)} ms over ${cli.length}`);
console.log(`  e.g. ${cli[0].text.trim()}`);
console.log(`  baseline, plain long-poll join: first answer (HTTP ${plain.status}) after ${plainMs.toFixed(0)} ms; TS client p50 is ${(pct(client, 0.5) / plainMs).toFixed(3)} of it`);
