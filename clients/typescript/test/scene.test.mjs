// The report's scene: 4 concurrent "syncs" holding 5 s each, each willing to wait 6 s.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { client, sleep, startBroker } from "./support.mjs";

const { LockBroker, LockTimeoutError } = client;
const HOLD_MS = 5_000;
const BOUND_MS = 6_000;

let broker;
let lb;
before(async () => {
  broker = await startBroker();
  lb = new LockBroker({ url: broker.url });
});
after(async () => {
  await broker?.stop();
});

/** One sync: declares its hold, gives up as soon as the ETA passes its bound; records when it knew. */
async function sync(i, shard, start) {
  const r = { i, knewAfterMs: null, outcome: null, firstTicket: null };
  const lock = lb.lock("swamp-repo", {
    shard,
    maxWaitMs: BOUND_MS,
    expectedHoldMs: HOLD_MS,
    giveUpEarly: true,
    holder: { name: `sync-${i}`, host: "mac", pid: 1000 + i },
    onProgress: (t) => {
      r.knewAfterMs ??= performance.now() - start;
      r.firstTicket ??= t;
    },
  });
  try {
    await lock.withLock(async () => {
      r.knewAfterMs ??= performance.now() - start;
      await sleep(HOLD_MS);
    });
    r.outcome = "done";
  } catch (e) {
    r.knewAfterMs ??= performance.now() - start;
    if (!(e instanceof LockTimeoutError)) throw e;
    r.outcome = e.code;
    r.error = e.message;
  }
  r.finishedAfterMs = performance.now() - start;
  return r;
}

async function run(shardOf) {
  const start = performance.now();
  const runs = [];
  for (let i = 1; i <= 4; i++) {
    runs.push(sync(i, shardOf(i), start));
    await sleep(50); // a fixed arrival order
  }
  const results = await Promise.all(runs);
  return { results, wallMs: performance.now() - start };
}

test("one namespace: each sync knows at once whether it will make its 6 s bound; those that will, do", async () => {
  const { results, wallMs } = await run(() => "index");
  for (const r of results) {
    console.log(`# sync-${r.i}: knew after ${r.knewAfterMs.toFixed(0)} ms (${r.firstTicket ? `position ${r.firstTicket.position}, ETA ${r.firstTicket.etaSeconds?.toFixed(1)} s` : "granted at once"}), ${r.outcome} after ${r.finishedAfterMs.toFixed(0)} ms${r.error ? `: ${r.error}` : ""}`);
  }
  console.log(`# one shard: wall ${wallMs.toFixed(0)} ms`);
  assert.deepEqual(results.map((r) => r.outcome), ["done", "done", "eta_exceeds_deadline", "eta_exceeds_deadline"]);
  for (const r of results.slice(1)) {
    assert.equal(r.firstTicket.holders[0].holder.name, "sync-1");
    assert.equal(r.firstTicket.holders[0].holder.host, "mac");
    assert.equal(typeof r.firstTicket.etaSeconds, "number");
  }
  assert.equal(results[1].firstTicket.etaExceedsDeadline, false);
  assert.match(results[2].error, /held by sync-1@mac pid 1001/);
});

test("distinct shards: all four syncs are granted at once and run side by side", async () => {
  const { results, wallMs } = await run((i) => `model-${i}`);
  console.log(`# distinct shards: wall ${wallMs.toFixed(0)} ms for 4 holds of ${HOLD_MS} ms`);
  assert.deepEqual(results.map((r) => r.outcome), ["done", "done", "done", "done"]);
  assert.deepEqual(results.map((r) => r.firstTicket), [null, null, null, null], "nobody queued");
});
