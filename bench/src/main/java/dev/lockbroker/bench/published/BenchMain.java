package dev.lockbroker.bench.published;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published benchmark's driver (bench/run calls it): starts every system on loopback, runs the
 * scenarios one system at a time (so each server's CPU is its own), writes README.md, the data and
 * a gnuplot script to the output directory, and exits 1 if any system produced no numbers.
 *
 * <pre>BenchMain [--smoke] [--lockbroker-only] [--baseline-jar OLD.jar] --out DIR --jar target/lockbroker.jar
 *     --env FILE --command "bench/run ..." [--only warm-up,uncontended,one key,many keys,scene,orphan]</pre>
 *
 * <p>{@code --only} runs the named scenarios (prefixes of their names) and is for trying a change;
 * a report of a partial run says which scenarios have no numbers.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        Plan plan = args.containsKey("--smoke") ? Plan.smokeRun() : Plan.fullRun();
        if (args.containsKey("--only")) {
            only = List.of(args.get("--only").split(","));
        }
        Path out = Path.of(args.get("--out"));
        Path work = Files.createTempDirectory("lockbroker-published-bench-");
        Files.createDirectories(out);
        Report.Context context = Report.Context.capture(args.get("--command"), Path.of(args.get("--env")));
        Results results = new Results();
        List<String> systemNames = new ArrayList<>();
        List<String> skipped;
        var choice = new Servers.Choice(
                args.containsKey("--baseline-jar") ? Path.of(args.get("--baseline-jar")) : null,
                args.containsKey("--lockbroker-only"));
        try (Servers servers = Servers.start(work, Path.of(args.get("--jar")), choice)) {
            skipped = servers.skipped;
            skipped.forEach(s -> System.out.println("SKIPPED " + s));
            servers.systems.forEach(s -> systemNames.add(s.name()));
            run(plan, servers, results, work);
        } finally {
            deleteRecursively(work);
        }
        context.finish();
        Report.write(out, plan, results, systemNames, skipped, context);
        List<String> missing = Report.missing(plan, results, systemNames);
        results.failures.forEach((k, v) -> System.out.println("FAILED " + k + ": " + v));
        missing.forEach(m -> System.out.println("NO NUMBERS " + m));
        System.out.println("wrote " + out.resolve("README.md"));
        System.exit(missing.isEmpty() && results.failures.isEmpty() ? 0 : 1);
    }

    private static void run(Plan plan, Servers servers, Results results, Path work) {
        for (SystemSpec s : servers.systems) {
            attempt(results, s, "warm-up", () -> Scenarios.warmUp(s, plan.warmUp(), plan.holdMillis()));
        }
        // After the warm-ups, which warmed S3Proxy too: the baseline is a warm store's PUT.
        long before = servers.s3proxy.cpuMillis();
        results.rawPutNanos = Scenarios.rawPuts(servers.s3Endpoint, plan.rawPuts());
        results.rawPutStoreCpuMillis = servers.s3proxy.cpuMillis() - before;
        log("raw create-only PUT p50 %.2f ms", results.rawPutP50());
        for (SystemSpec s : servers.systems) {
            attempt(results, s, "uncontended", () -> {
                var u = Scenarios.uncontended(s, plan.uncontendedCycles(), Plan.UNCONTENDED_BOUND);
                results.uncontended.put(s.name(), u);
                log("%s uncontended p50 %.2f ms", s.name(), Stats.percentileMillis(u.cycleNanos(), 50));
            });
        }
        for (int clients : plan.clientCounts()) {
            for (SystemSpec s : servers.systems) {
                attempt(results, s, "one key x " + clients, () -> {
                    var c = Scenarios.contended(s, 1, clients, plan.holdMillis(), plan.contendedRun());
                    results.oneKey
                            .computeIfAbsent(s.name(), k -> new LinkedHashMap<>())
                            .put(clients, c);
                    log("%s one key x %d: %.1f acquisitions/s", s.name(), clients, c.grants() / c.seconds());
                });
            }
        }
        for (SystemSpec s : servers.systems) {
            attempt(results, s, "many keys", () -> {
                var c = Scenarios.contended(
                        s, plan.manyKeys(), plan.clientsPerManyKey(), plan.holdMillis(), plan.contendedRun());
                results.manyKeys.put(s.name(), c);
                log(
                        "%s %d keys x %d: %.1f grants/s",
                        s.name(), plan.manyKeys(), plan.clientsPerManyKey(), c.grants() / c.seconds());
            });
        }
        for (SystemSpec s : servers.systems) {
            attempt(results, s, "scene", () -> {
                var sc = Scenarios.scene(s, plan.sceneWriters(), plan.sceneHoldMillis(), plan.sceneBoundMillis());
                results.scene.put(s.name(), sc);
                log("%s scene: %d of %d made it", s.name(), sc.madeIt(), plan.sceneWriters());
            });
        }
        Map<SystemSpec, Proc> holders = new LinkedHashMap<>();
        for (SystemSpec s : servers.systems) {
            attempt(
                    results,
                    s,
                    "orphan",
                    () -> holders.put(
                            s,
                            Scenarios.startHolder(
                                    s, plan.orphanTtlMillis(), orphanKey(servers, s), work.resolve("holders"))));
        }
        holders.forEach((s, holder) -> attempt(results, s, "orphan", () -> {
            long ms;
            try {
                ms = Scenarios.orphanReclaim(
                        s, plan.orphanTtlMillis(), holder, orphanKey(servers, s), work.resolve("holders"));
            } catch (IllegalStateException e) {
                if (!plan.smoke()) {
                    throw e;
                }
                // The smoke run checks that numbers come, not a peer's worst case: once more, fresh holder
                // (CI once saw etcd grant nothing within 18 s of a 2 s lease's holder being killed).
                log("%s orphan: %s; once more with a fresh holder", s.name(), e.getMessage());
                String again = orphanKey(servers, s) + "-again";
                ms = Scenarios.orphanReclaim(
                        s,
                        plan.orphanTtlMillis(),
                        Scenarios.startHolder(s, plan.orphanTtlMillis(), again, work.resolve("holders")),
                        again,
                        work.resolve("holders"));
            }
            results.orphanMillis.put(s.name(), ms);
            log("%s orphan reclaimed %d ms after the kill", s.name(), ms);
        }));
    }

    /** Each system its own key: the two polling locks share one bucket. */
    private static String orphanKey(Servers servers, SystemSpec s) {
        return "orphan-" + servers.systems.indexOf(s);
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Scenarios to run, from {@code --only} (comma-separated names); empty: all of them. */
    private static List<String> only = List.of();

    /** Runs one scenario of one system; a failure is recorded and the run goes on with the next. */
    private static void attempt(Results results, SystemSpec s, String scenario, Step step) {
        if (!only.isEmpty() && only.stream().noneMatch(scenario::startsWith)) {
            return;
        }
        try {
            step.run();
        } catch (Exception e) {
            e.printStackTrace();
            results.failures.put(s.name() + " / " + scenario, String.valueOf(e));
        }
    }

    private static final long STARTED_AT = System.nanoTime();

    private static void log(String format, Object... values) {
        double seconds = (System.nanoTime() - STARTED_AT) / 1e9;
        String line = String.format(java.util.Locale.ROOT, format, values);
        System.out.printf(java.util.Locale.ROOT, "[%6.1f s] %s%n", seconds, line);
        System.out.flush();
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--smoke") || argv[i].equals("--lockbroker-only")) {
                args.put(argv[i], "");
            } else if (i + 1 < argv.length) {
                args.put(argv[i], argv[++i]);
            }
        }
        for (String required : List.of("--out", "--jar", "--env", "--command")) {
            if (!args.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required);
            }
        }
        return args;
    }
}
