// A holder process: takes the lock, says so on stdout, and holds until killed.
// argv: URL NAMESPACE SHARD TTL_MS
const isDeno = typeof globalThis.Deno !== "undefined";
const { LockBroker } = await import(isDeno ? "../mod.ts" : "../dist/mod.js");
const [url, namespace, shard, ttlMs] = (isDeno ? Deno.args : process.argv.slice(2));
const lock = new LockBroker({ url, holder: { name: "killed-holder", host: "test", pid: isDeno ? Deno.pid : process.pid } })
  .lock(namespace, { shard, ttlMs: Number(ttlMs), maxWaitMs: 10_000 });
await lock.acquire();
console.log(`HELD ${lock.fencingToken}`);
setInterval(() => {}, 60_000); // heartbeats are background timers: keep the process alive
