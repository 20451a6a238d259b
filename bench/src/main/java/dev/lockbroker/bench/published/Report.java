package dev.lockbroker.bench.published;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes README.md (the tables), the plot data and plots.gp (gnuplot, run by bench/run). */
final class Report {
    private Report() {}

    /** The machine, versions and command, with the load average at the start and end. */
    static final class Context {
        final String command;
        final List<String> environment;
        final String startedAt = Instant.now().toString();
        final String loadAtStart = loadAverage();
        String loadAtEnd = "";

        private Context(String command, List<String> environment) {
            this.command = command;
            this.environment = environment;
        }

        static Context capture(String command, Path envFile) throws IOException {
            return new Context(command, Files.readAllLines(envFile));
        }

        void finish() {
            loadAtEnd = loadAverage();
        }

        private static String loadAverage() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).trim();
            } catch (IOException e) {
                return "?";
            }
        }
    }

    static void write(Path out, Plan plan, Results r, List<String> systems, List<String> skipped, Context ctx)
            throws IOException {
        Path data = out.resolve("data");
        Files.createDirectories(data);
        StringBuilder md = new StringBuilder();
        Tables tables = new Tables(plan, r, systems);
        md.append("# lockbroker beside etcd, ZooKeeper and a polling S3 lock\n\n");
        md.append(header(plan, r, skipped, ctx));
        md.append(tables.all());
        md.append(plots(plan));
        md.append(Tables.method(plan));
        Path cluster = out.resolve("cluster.md"); // written by hand from a run of bin/bench cluster: kept
        if (Files.exists(cluster)) {
            md.append('\n').append(Files.readString(cluster));
        }
        Files.writeString(out.resolve("README.md"), md.toString());
        PlotData.write(data, out, plan, r, systems);
    }

    private static String header(Plan plan, Results r, List<String> skipped, Context ctx) {
        StringBuilder s = new StringBuilder();
        if (plan.smoke()) {
            s.append("**Smoke run** (tiny counts, for CI): these figures mean nothing.\n\n");
        }
        s.append(String.format(
                Locale.ROOT,
                "Taken %s by `%s` (load average %s at the start, %s at the end, on the cores below; the run's "
                        + "own build, servers and clients count in both, so a figure above the core count at the end "
                        + "is the benchmark itself); "
                        + "each figure is set beside a baseline taken in the same run: **one create-only PUT "
                        + "(`If-None-Match: *`) on the same S3Proxy, p50 %.2f ms** (p99 %.2f ms, S3Proxy CPU "
                        + "%.2f ms per PUT).%n%n",
                ctx.startedAt,
                ctx.command,
                ctx.loadAtStart,
                ctx.loadAtEnd,
                r.rawPutP50(),
                Stats.percentileMillis(r.rawPutNanos, 99),
                r.rawPutNanos.length == 0 ? Double.NaN : r.rawPutStoreCpuMillis / (double) r.rawPutNanos.length));
        s.append("| machine and versions | |\n|---|---|\n");
        for (String line : ctx.environment) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                s.append("| ")
                        .append(line, 0, colon)
                        .append(" | ")
                        .append(line.substring(colon + 1).trim())
                        .append(" |\n");
            }
        }
        s.append("\n");
        for (String reason : skipped) {
            s.append("- skipped ").append(reason).append("\n");
        }
        for (Map.Entry<String, String> f : r.failures.entrySet()) {
            s.append("- **failed** ")
                    .append(f.getKey())
                    .append(": `")
                    .append(f.getValue().replace('\n', ' '))
                    .append("`\n");
        }
        return s.append("\n").toString();
    }

    private static String plots(Plan plan) {
        StringBuilder s = new StringBuilder("## Plots\n\n");
        s.append("![acquisitions per second against clients on one key](throughput.png)\n\n");
        s.append("![handoff p50 against clients on one key](handoff.png)\n\n");
        for (int n : plan.clientCounts()) {
            if (n > 1) {
                s.append("![wait-time CDF, one key, ")
                        .append(n)
                        .append(" clients](wait-cdf-")
                        .append(n)
                        .append(".png)\n\n");
            }
        }
        s.append("![wait-time CDF, many keys](wait-cdf-many-keys.png)\n\n");
        return s.toString();
    }

    /** Each scenario a system produced no numbers for. */
    static List<String> missing(Plan plan, Results r, List<String> systems) {
        List<String> missing = new ArrayList<>();
        for (String s : systems) {
            if (!r.uncontended.containsKey(s) || r.uncontended.get(s).cycleNanos().length == 0) {
                missing.add(s + " / uncontended");
            }
            for (int n : plan.clientCounts()) {
                var run = r.oneKey.getOrDefault(s, Map.of()).get(n);
                if (run == null || run.grants() == 0) {
                    missing.add(s + " / one key x " + n);
                }
            }
            if (!r.manyKeys.containsKey(s) || r.manyKeys.get(s).grants() == 0) {
                missing.add(s + " / many keys");
            }
            if (!r.scene.containsKey(s) || r.scene.get(s).madeIt() == 0) {
                missing.add(s + " / scene");
            }
            if (!r.orphanMillis.containsKey(s)) {
                missing.add(s + " / orphan reclaim");
            }
        }
        if (r.rawPutNanos.length == 0) {
            missing.add("baseline raw PUT");
        }
        return missing;
    }
}
