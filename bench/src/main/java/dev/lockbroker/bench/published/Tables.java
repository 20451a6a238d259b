package dev.lockbroker.bench.published;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The README's tables, every figure beside a baseline of the same run. */
final class Tables {
    private static final String ETCD = "etcd";
    private static final String ZOOKEEPER = "ZooKeeper";

    private final Plan plan;
    private final Results r;
    private final List<String> systems;

    Tables(Plan plan, Results r, List<String> systems) {
        this.plan = plan;
        this.r = r;
        this.systems = systems;
    }

    String all() {
        return uncontended() + oneKey() + manyKeys() + scene() + orphan();
    }

    private String uncontended() {
        StringBuilder s = new StringBuilder("## Uncontended acquire + release (one client, one key)\n\n");
        s.append(
                "| system | p50 ms | p99 ms | p50 / PUT p50 | p50 / etcd's | server CPU ms per cycle | CPU / etcd's |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        double etcdP50 = p50(r.uncontended.get(ETCD));
        double etcdCpu = cpuPer(r.uncontended.get(ETCD));
        for (String name : systems) {
            var u = r.uncontended.get(name);
            if (u == null) {
                s.append("| ").append(name).append(" | failed |||||\n");
                continue;
            }
            double p50 = p50(u);
            s.append(row(
                    name,
                    f(p50),
                    f(Stats.percentileMillis(u.cycleNanos(), 99)),
                    x(p50 / r.rawPutP50()),
                    x(p50 / etcdP50),
                    cpu(u.cpuMillis(), u.cycleNanos().length),
                    x(cpuPer(u) / etcdCpu)));
        }
        return s.append("\n").toString();
    }

    private String oneKey() {
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "## One key, N clients, %d ms holds (%.1f s per run)%n%n",
                plan.holdMillis(),
                plan.contendedRun().toMillis() / 1000.0));
        s.append("Handoff: the previous holder's release answered → the next grant received. FIFO violation: a "
                + "grant while a request sent ≥ 1 ms earlier on the key still waited. Overlaps: grants received "
                + "before the previous holder had sent its release (must be 0).\n\n");
        s.append("| N | system | acquisitions/s | × best of etcd, ZK | handoff p50 ms | p99 ms | handoff p50 / PUT p50 "
                + "| wait p99 ms | FIFO violations | overlaps | server CPU ms per acquisition | CPU / etcd's "
                + "| S3 requests per acquisition |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int n : plan.clientCounts()) {
            Map<String, Scenarios.Contended> runs = new java.util.LinkedHashMap<>();
            for (String name : systems) {
                var run = r.oneKey.getOrDefault(name, Map.of()).get(n);
                if (run != null) {
                    runs.put(name, run);
                }
            }
            double best = Math.max(rate(runs.get(ETCD)), rate(runs.get(ZOOKEEPER)));
            double etcdCpu = cpuPerGrant(runs.get(ETCD));
            for (String name : systems) {
                var c = runs.get(name);
                if (c == null) {
                    s.append("| ").append(n).append(" | ").append(name).append(" | failed |||||||||||\n");
                    continue;
                }
                long[] handoffs = Stats.handoffs(c.attempts());
                double handoffP50 = Stats.percentileMillis(handoffs, 50);
                s.append("| ")
                        .append(n)
                        .append(' ')
                        .append(row(
                                name,
                                f1(rate(c)),
                                x(rate(c) / best),
                                f(handoffP50),
                                f(Stats.percentileMillis(handoffs, 99)),
                                x(handoffP50 / r.rawPutP50()),
                                f(Stats.percentileMillis(waits(c), 99)),
                                fifo(c),
                                Integer.toString(Stats.overlaps(c.attempts())),
                                cpu(c.cpuMillis(), c.grants()),
                                x(cpuPerGrant(c) / etcdCpu),
                                requestsPerGrant(c)));
            }
        }
        return s.append("\n").toString();
    }

    private String manyKeys() {
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "## %d keys × %d clients, %d ms holds (lockbroker: one namespace per key; %.1f s)%n%n",
                plan.manyKeys(),
                plan.clientsPerManyKey(),
                plan.holdMillis(),
                plan.contendedRun().toMillis() / 1000.0));
        s.append(
                "Each of the %d clients is one connection (session, channel, HTTP client) serving one worker per key.\n\n"
                        .formatted(plan.clientsPerManyKey()));
        s.append("| system | grants/s | × best of etcd, ZK | wait p50 ms | wait p99 ms | FIFO violations | overlaps "
                + "| server CPU ms per grant | S3 requests per grant |\n|---|---|---|---|---|---|---|---|---|\n");
        double best = Math.max(rate(r.manyKeys.get(ETCD)), rate(r.manyKeys.get(ZOOKEEPER)));
        for (String name : systems) {
            var c = r.manyKeys.get(name);
            if (c == null) {
                s.append("| ").append(name).append(" | failed ||||||||\n");
                continue;
            }
            s.append(row(
                    name,
                    f1(rate(c)),
                    x(rate(c) / best),
                    f(Stats.percentileMillis(waits(c), 50)),
                    f(Stats.percentileMillis(waits(c), 99)),
                    fifo(c),
                    Integer.toString(Stats.overlaps(c.attempts())),
                    cpu(c.cpuMillis(), c.grants()),
                    requestsPerGrant(c)));
        }
        return s.append("\n").toString();
    }

    private String scene() {
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "## The report's scene: %d writers start together (10 ms apart), each holds %.1f s, each gives up "
                        + "after %.1f s%n%n",
                plan.sceneWriters(),
                plan.sceneHoldMillis() / 1000.0,
                plan.sceneBoundMillis() / 1000.0));
        s.append("| system | made it | each writer's wait (s; — = gave up) |\n|---|---|---|\n");
        for (String name : systems) {
            var sc = r.scene.get(name);
            if (sc == null) {
                s.append("| ").append(name).append(" | failed | |\n");
                continue;
            }
            String waits = Arrays.stream(sc.waitMillis())
                    .mapToObj(w -> w < 0 ? "—" : String.format(Locale.ROOT, "%.2f", w / 1000.0))
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("");
            s.append(row(name, sc.madeIt() + " of " + plan.sceneWriters(), waits));
        }
        return s.append("\n").toString();
    }

    private String orphan() {
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "## Orphan reclaim: the holder (a process of its own) is SIGKILLed; TTL %.1f s%n%n",
                plan.orphanTtlMillis() / 1000.0));
        s.append("TTL is the lease TTL (lockbroker, etcd), the session timeout (ZooKeeper) or the lock object's "
                + "ttlMs (polling). etcd raises a lease TTL below its minimum (1.5 × election timeout) to it.\n\n");
        s.append("| system | kill → next holder granted (ms) | / TTL |\n|---|---|---|\n");
        for (String name : systems) {
            Long ms = r.orphanMillis.get(name);
            s.append(
                    ms == null
                            ? row(name, "failed", "")
                            : ms < 0
                                    ? row(
                                            name,
                                            "granted " + -ms + " ms before the kill: taken from the live holder",
                                            "—")
                                    : row(name, Long.toString(ms), x(ms / (double) plan.orphanTtlMillis())));
        }
        return s.append("\n").toString();
    }

    static String method(Plan plan) {
        return """
                ## How it is measured

                - Every server runs on 127.0.0.1 as a plain process with its data in a temporary directory, started \
                and killed by the driver: S3Proxy (filesystem store, its own JVM), lockbroker as its own JVM \
                (`java -jar target/lockbroker.jar server`, default flags) on that S3Proxy and on its disk store, \
                etcd (Debian `etcd-server`, defaults, one member) and ZooKeeper (Debian `zookeeper`, standalone, \
                tickTime 500 ms, no connection limit).
                - Clients run in the driver JVM, one platform thread per worker: jetcd's lock API with one lease per \
                worker kept alive in the background; Curator `InterProcessMutex`; lockbroker over REST with \
                `java.net.http.HttpClient` (POST with `waitSeconds`, ticket polling past the long-poll window, \
                DELETE); a port of swamp's S3 polling lock on the same S3Proxy (create with If-None-Match: *, \
                poll every 1 s or 100 ms, stale-delete after the TTL, unconditional heartbeat PUT, DELETE to \
                release), with the S3 client configured as the broker's S3 store configures its own.
                - Server CPU is user + system time from `/proc/PID/stat` of every server process of the system \
                (lockbroker on S3: the broker and S3Proxy), read before and after the measured part; systems run \
                one after another, so no other system's work is counted. Clock-tick resolution is 10 ms.
                - Locks live 30 s unrenewed in every scenario but the orphan one.
                - Wait percentiles and CDFs count granted requests only: a request still waiting when its run \
                ended is left out, which flatters a lock that lets some waiters starve (the polling locks). \
                FIFO order is judged by the clients' send times, so near-simultaneous requests can look out of \
                order by up to the 1 ms tolerance plus the scheduling delay of a loaded machine.
                - S3 requests per grant: lockbroker on S3 only, from its `lockbroker_store_s3_requests_total` \
                (every attempt, background work included) read before and after the measured part.
                - Warm-up: before its first measured scenario each system runs %s of uncontended cycles and \
                then as long with 16 clients on one key, unrecorded, so the JVMs (lockbroker, ZooKeeper, \
                the driver's clients) run compiled code; every figure is steady state.
                - Regenerate: `bench/run` (about 11 minutes; needs root for apt-get). `bench/run --smoke` is the \
                seconds-long version `bin/test` runs, which checks only that every system produced numbers.
                """.formatted(String.format(Locale.ROOT, "%.1f s", plan.warmUp().toMillis() / 2000.0));
    }

    private static String row(String first, String... cells) {
        return "| " + first + " | " + String.join(" | ", cells) + " |\n";
    }

    private static double p50(Scenarios.Uncontended u) {
        return u == null ? Double.NaN : Stats.percentileMillis(u.cycleNanos(), 50);
    }

    private static double cpuPer(Scenarios.Uncontended u) {
        return u == null || u.cycleNanos().length == 0
                ? Double.NaN
                : sum(u.cpuMillis()) / (double) u.cycleNanos().length;
    }

    private static double rate(Scenarios.Contended c) {
        return c == null ? Double.NaN : c.grants() / c.seconds();
    }

    /** S3 requests per grant, from the broker's own counter; "—" where not counted. */
    private static String requestsPerGrant(Scenarios.Contended c) {
        return c.storeRequests() < 0 || c.grants() == 0
                ? "—"
                : String.format(Locale.ROOT, "%.3f", c.storeRequests() / (double) c.grants());
    }

    private static double cpuPerGrant(Scenarios.Contended c) {
        return c == null || c.grants() == 0 ? Double.NaN : sum(c.cpuMillis()) / (double) c.grants();
    }

    static long[] waits(Scenarios.Contended c) {
        return c.attempts().stream()
                .filter(Attempt::wasGranted)
                .mapToLong(Attempt::waitNanos)
                .toArray();
    }

    private static String fifo(Scenarios.Contended c) {
        long grants = c.grants();
        int v = Stats.fifoViolations(c.attempts());
        return grants == 0 ? "—" : String.format(Locale.ROOT, "%d (%.0f %%)", v, 100.0 * v / grants);
    }

    /** Total CPU per operation, with the broker / store split when a system has two processes. */
    private static String cpu(long[] cpuMillis, long operations) {
        if (operations == 0) {
            return "—";
        }
        String total = f(sum(cpuMillis) / (double) operations);
        if (cpuMillis.length < 2) {
            return total;
        }
        return total + " (broker " + f(cpuMillis[0] / (double) operations) + ", store "
                + f(cpuMillis[1] / (double) operations) + ")";
    }

    private static long sum(long[] values) {
        return Arrays.stream(values).sum();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String x(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "—" : String.format(Locale.ROOT, "%.2f ×", ratio);
    }
}
