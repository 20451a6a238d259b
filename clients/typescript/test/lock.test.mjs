// BrokerLock against a real broker process: FIFO, timeouts, a SIGKILLed holder, lease loss, bad input, revoke.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { client, lineOf, overlaps, sleep, spawnScript, startBroker } from "./support.mjs";

const { BrokerLock, InvalidRequestError, LeaseLostError, LockBroker, LockTimeoutError, UnsupportedError, shardFor } = client;

let broker;
let lb;
before(async () => {
  broker = await startBroker();
  lb = new LockBroker({ url: broker.url, holder: { name: "ts-test", host: "loopback", pid: 1 } });
});
after(async () => {
  await broker?.stop();
});

const named = (name) => ({ name, host: "loopback", pid: 1 });

test("four concurrent withLock callers are granted in the order they joined, never two at once", async () => {
  const first = lb.lock("fifo", { shard: "s", holder: named("first") });
  await first.acquire();
  const order = [];
  const beliefs = [];
  const runs = [];
  for (let i = 1; i <= 4; i++) {
    let joined;
    const queued = new Promise((r) => (joined = r));
    const lock = lb.lock("fifo", { shard: "s", holder: named(`caller-${i}`), onProgress: () => joined() });
    runs.push(lock.withLock(async () => {
      const from = performance.now();
      order.push(i);
      await sleep(150);
      beliefs.push({ who: i, from, to: performance.now() });
    }));
    await queued; // caller i is in the queue before caller i+1 joins
  }
  await first.release();
  await Promise.all(runs);
  assert.deepEqual(order, [1, 2, 3, 4]);
  assert.deepEqual(overlaps(beliefs), []);
});

test("maxWaitMs ends the wait with a LockTimeoutError naming the holder and how long it held", async () => {
  const holder = lb.lock("timeout", { holder: named("slow-sync") });
  await holder.acquire();
  const waiter = lb.lock("timeout", { maxWaitMs: 1_500 });
  const started = performance.now();
  await assert.rejects(waiter.acquire(), (e) => {
    assert.ok(e instanceof LockTimeoutError, String(e));
    assert.equal(e.holders[0].holder.name, "slow-sync");
    assert.ok(e.holders[0].heldSeconds >= 1, `held ${e.holders[0].heldSeconds}s`);
    assert.match(e.message, /held by slow-sync@loopback pid 1 for \d/);
    return true;
  });
  console.log(`# maxWaitMs 1500: LockTimeoutError after ${(performance.now() - started).toFixed(0)} ms`);
  await holder.release();
});

test("a SIGKILLed holder process: the next waiter is granted within TTL + 1 s", async () => {
  const ttlMs = 2_000;
  const child = spawnScript("holder.mjs", [broker.url, "killed", "k", String(ttlMs)]);
  const [, token] = await lineOf(child, /HELD (\d+)/);
  const waiter = lb.lock("killed", { shard: "k", maxWaitMs: ttlMs + 1_000 });
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
  const killedAt = performance.now();
  // The bound is the waiter's own deadline: were it not granted within TTL + 1 s, acquire would reject.
  await waiter.acquire();
  console.log(`# SIGKILLed holder (TTL ${ttlMs} ms): next waiter granted ${(performance.now() - killedAt).toFixed(0)} ms after the kill`);
  assert.ok(waiter.fencingToken > Number(token));
  await waiter.release();
});

test("a lease ended at the broker aborts fn's signal and withLock rejects with LeaseLostError", async () => {
  const lock = lb.lock("lost", { ttlMs: 3_000 });
  let sawAbort = false;
  await assert.rejects(
    lock.withLock(async (signal) => {
      await fetch(`${broker.url}/v1/leases/${lock.lease.leaseId}`, { method: "DELETE" }); // someone else ends it
      await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
      sawAbort = signal.reason instanceof LeaseLostError;
      await sleep(60_000); // fn ignores the signal: withLock still rejects
    }),
    (e) => e instanceof LeaseLostError && e.confirmedByBroker,
  );
  assert.ok(sawAbort);
});

test("an unreachable broker: fn's signal fires before the lease could expire (send of last acknowledged heartbeat + TTL)", async () => {
  const own = await startBroker();
  try {
    const acked = [];
    const recording = async (url, init) => {
      const sent = performance.now();
      const response = await fetch(url, init);
      if (String(url).endsWith("/heartbeat") && response.status === 200) acked.push(sent);
      return response;
    };
    const ttlMs = 3_000;
    const lock = new LockBroker({ url: own.url, fetch: recording }).lock("stopped", { ttlMs });
    let firedAt;
    await assert.rejects(
      lock.withLock(async (signal) => {
        for (let i = 0; i < 100 && acked.length === 0; i++) await sleep(50); // a heartbeat is acknowledged
        own.pause(); // SIGSTOP: heartbeats go unanswered
        await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
        firedAt = performance.now();
      }),
      (e) => e instanceof LeaseLostError && !e.confirmedByBroker,
    );
    assert.ok(acked.length >= 1, "a heartbeat was acknowledged before the stop");
    const brokerMayExpireAt = acked[acked.length - 1] + ttlMs;
    console.log(`# signal fired ${(brokerMayExpireAt - firedAt).toFixed(0)} ms before the earliest broker expiry`);
    assert.ok(firedAt < brokerMayExpireAt, `fired at ${firedAt}, the broker may expire it from ${brokerMayExpireAt}`);
  } finally {
    await own.stop();
  }
});

test("bad input is refused with a typed InvalidRequestError, from the client and from the broker", async () => {
  assert.throws(() => lb.lock("bad namespace"), InvalidRequestError);
  assert.throws(() => lb.lock("ok", { shard: "a/b" }), InvalidRequestError);
  assert.throws(() => lb.lock("ok", { ttlMs: 0 }), InvalidRequestError);
  assert.throws(() => lb.lock("ok", { maxWaitMs: -1 }), InvalidRequestError);
  assert.throws(() => new LockBroker({ url: "ftp://x" }), InvalidRequestError);
  const tooLong = lb.lock("ok", { holder: { name: "x".repeat(300) } });
  await assert.rejects(tooLong.acquire(), (e) => e instanceof InvalidRequestError && e.status === 400);
  await assert.rejects(lb.lock("ok").forceRelease("not-a-token"), InvalidRequestError);
});

test("onProgress shows position, holder and ETA at once and as the queue moves", async () => {
  const a = lb.lock("progress", { holder: named("a"), expectedHoldMs: 2_000 });
  await a.acquire();
  const b = lb.lock("progress", { holder: named("b"), expectedHoldMs: 1_000 });
  const seen = [];
  const joinedAt = performance.now();
  const bGranted = b.withLock(() => sleep(600));
  await sleep(200);
  const c = lb.lock("progress", {
    holder: named("c"),
    onProgress: (t) => seen.push({ at: performance.now() - joinedAt, position: t.position, holder: t.holders[0]?.holder.name, eta: t.etaSeconds }),
  });
  const cGranted = c.withLock(async () => {});
  await sleep(800);
  await a.release();
  await Promise.all([bGranted, cGranted]);
  assert.equal(seen[0].position, 2);
  assert.equal(seen[0].holder, "a");
  assert.equal(typeof seen[0].eta, "number");
  assert.ok(seen.some((s) => s.position === 1), JSON.stringify(seen));
  console.log(`# first progress after ${seen[0].at.toFixed(0)} ms: ${JSON.stringify(seen)}`);
});

test("inspect maps the holder to swamp's LockInfo; forceRelease revokes by fencing token", async (t) => {
  const holder = lb.lock("force", { shard: "model-a", holder: named("stuck-sync"), ttlMs: 5_000 });
  await holder.acquire();
  const other = lb.lock("force", { shard: "model-a" });
  const info = await other.inspect();
  assert.equal(info.holder, "stuck-sync");
  assert.equal(info.hostname, "loopback");
  assert.equal(info.pid, 1);
  assert.equal(info.nonce, String(holder.fencingToken));
  assert.ok(Date.parse(info.acquiredAt) <= Date.now());
  let revoked;
  try {
    revoked = await other.forceRelease(String(holder.fencingToken + 1));
  } catch (e) {
    if (e instanceof UnsupportedError) {
      await holder.release();
      const reason = `SKIPPED forceRelease: ${e.message}; revoke by key comes with the access-control work (issue 12)`;
      console.log(`# ${reason}`);
      t.skip(reason);
      return;
    }
    throw e;
  }
  assert.equal(revoked, false, "a different fencing token does not revoke");
  assert.equal(await other.forceRelease(info.nonce), true);
  await new Promise((r) => holder.signal.addEventListener("abort", r, { once: true }));
  assert.ok(holder.signal.reason instanceof LeaseLostError);
  assert.equal(await other.inspect(), null);
  assert.equal(await other.forceRelease(info.nonce), false, "nothing holds it any more");
  await holder.release();
});

test("lockKey maps to a stable shard; no key or __global__ is the whole namespace", () => {
  assert.equal(shardFor(undefined), null);
  assert.equal(shardFor("__global__"), null);
  assert.equal(shardFor("vault-put"), "vault-put");
  const a = shardFor("models/aws/prod");
  assert.match(a, /^models_aws_prod-[0-9a-f]{8}$/);
  assert.equal(shardFor("models/aws/prod"), a);
  assert.notEqual(shardFor("models_aws/prod"), a);
  assert.ok(shardFor("x".repeat(500)).length <= 128);
  assert.equal(new BrokerLock(lb, "ns", { lockKey: "__global__" }).shard, null);
});
