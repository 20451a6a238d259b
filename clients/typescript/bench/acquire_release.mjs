// Benchmark (a main, not a test): uncontended acquire+release through the TypeScript client against two
// baselines measured in the same run on the same broker: curl (one process per request, as a shell
// script would do it) and two bare fetch calls. Rounds interleave the three so drift hits all alike.
//   node bench/acquire_release.mjs [iterations=300]      (after npm run build; starts its own broker)
import { spawnSync } from "node:child_process";
import { LockBroker } from "../dist/mod.js";
import { startBroker } from "../test/support.mjs";

const iterations = Number(process.argv[2] ?? 300);
const rounds = 5;
const perRound = Math.ceil(iterations / rounds);
const body = JSON.stringify({ shard: "bench", mode: "exclusive", ttlSeconds: 30, holder: { name: "bench" } });

const broker = await startBroker();
const base = `${broker.url}/v1/namespaces/bench`;
const lock = new LockBroker({ url: broker.url }).lock("bench", { shard: "bench" });

function curlOnce() {
  const acquired = spawnSync("curl", ["-sf", "-X", "POST", "-H", "Content-Type: application/json", "-d", body, `${base}/leases`]);
  const { leaseId } = JSON.parse(acquired.stdout.toString());
  spawnSync("curl", ["-sf", "-X", "DELETE", `${broker.url}/v1/leases/${leaseId}`]);
}

async function fetchOnce() {
  const r = await fetch(`${base}/leases`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  const { leaseId } = await r.json();
  await (await fetch(`${broker.url}/v1/leases/${leaseId}`, { method: "DELETE" })).text();
}

async function clientOnce() {
  await lock.acquire();
  await lock.release();
}

const ways = { curl: curlOnce, fetch: fetchOnce, client: clientOnce };
const samples = { curl: [], fetch: [], client: [] };
for (const way of Object.keys(ways)) for (let i = 0; i < 30; i++) await ways[way](); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [way, once] of Object.entries(ways)) {
    for (let i = 0; i < perRound; i++) {
      const t = performance.now();
      await once();
      samples[way].push(performance.now() - t);
    }
  }
}
await broker.stop();

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, pct(v, 0.5)]));
console.log(`acquire+release, uncontended, ${perRound * rounds} each, ${rounds} interleaved rounds`);
for (const [way, xs] of Object.entries(samples)) {
  console.log(`  ${way.padEnd(7)} p50 ${pct(xs, 0.5).toFixed(2)} ms  p90 ${pct(xs, 0.9).toFixed(2)} ms`);
}
console.log(`  client / curl  = ${(med.client / med.curl).toFixed(2)}  (client adds ${(med.client - med.curl).toFixed(2)} ms over curl)`);
console.log(`  client / fetch = ${(med.client / med.fetch).toFixed(2)}  (client adds ${(med.client - med.fetch).toFixed(2)} ms over two bare fetches)`);
