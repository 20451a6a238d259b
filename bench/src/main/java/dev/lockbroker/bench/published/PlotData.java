package dev.lockbroker.bench.published;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Data files for gnuplot and the script (plots.gp) that turns them into the README's PNGs. */
final class PlotData {
    private static final int MAX_CDF_POINTS = 400;

    private PlotData() {}

    static void write(Path data, Path out, Plan plan, Results r, List<String> systems) throws IOException {
        StringBuilder throughput = new StringBuilder(columns(systems));
        StringBuilder handoff = new StringBuilder(columns(systems));
        for (int n : plan.clientCounts()) {
            throughput.append(n);
            handoff.append(n);
            for (String name : systems) {
                var c = r.oneKey.getOrDefault(name, Map.of()).get(n);
                throughput.append(' ').append(c == null ? "?" : num(c.grants() / c.seconds()));
                double h = c == null ? Double.NaN : Stats.percentileMillis(Stats.handoffs(c.attempts()), 50);
                // a log axis cannot show 0: a handoff below 10 µs is drawn at 10 µs
                handoff.append(' ').append(Double.isNaN(h) ? "?" : num(Math.max(0.01, h)));
            }
            throughput.append('\n');
            handoff.append('\n');
        }
        Files.writeString(data.resolve("throughput.dat"), throughput);
        Files.writeString(data.resolve("handoff.dat"), handoff);
        StringBuilder gp = new StringBuilder(preamble());
        gp.append(linePlot(
                "throughput.png",
                "throughput.dat",
                systems.size(),
                "acquisitions/s, one key, %d ms holds".formatted(plan.holdMillis()),
                "acquisitions/s",
                false));
        gp.append(linePlot(
                "handoff.png",
                "handoff.dat",
                systems.size(),
                "handoff p50 (release answered → next grant), one key",
                "ms (log)",
                true));
        for (int n : plan.clientCounts()) {
            if (n > 1) {
                gp.append(cdf(
                        data,
                        "wait-cdf-" + n,
                        "wait for the lock, one key, %d clients".formatted(n),
                        systems,
                        name -> r.oneKey.getOrDefault(name, Map.of()).get(n)));
            }
        }
        gp.append(cdf(
                data,
                "wait-cdf-many-keys",
                "wait for the lock, %d keys × %d clients".formatted(plan.manyKeys(), plan.clientsPerManyKey()),
                systems,
                r.manyKeys::get));
        Files.writeString(out.resolve("data").resolve("plots.gp"), gp);
    }

    private static String preamble() {
        return """
                set terminal pngcairo size 900,540 noenhanced font ',10'
                set datafile missing '?'
                set key outside right top
                set grid
                """;
    }

    private static String linePlot(String png, String dat, int series, String title, String ylabel, boolean log) {
        return """
                set output '../%s'
                set title '%s'
                set xlabel 'clients on one key (log)'
                set ylabel '%s'
                set logscale x 2
                %s
                plot for [i=2:%d] '%s' using 1:i with linespoints lw 2 title columnheader(i)
                unset logscale
                """.formatted(png, title, ylabel, log ? "set logscale y 10" : "unset logscale y", series + 1, dat);
    }

    private static String cdf(
            Path data,
            String base,
            String title,
            List<String> systems,
            java.util.function.Function<String, Scenarios.Contended> run)
            throws IOException {
        StringBuilder plot = new StringBuilder();
        for (int i = 0; i < systems.size(); i++) {
            Scenarios.Contended c = run.apply(systems.get(i));
            if (c == null || c.grants() == 0) {
                continue;
            }
            String file = base + "-" + i + ".dat";
            Files.writeString(data.resolve(file), cdfPoints(Tables.waits(c)));
            plot.append(plot.isEmpty() ? "plot " : ", ")
                    .append("'")
                    .append(file)
                    .append("' using 1:2 with lines lw 2 title '")
                    .append(systems.get(i))
                    .append("'");
        }
        if (plot.isEmpty()) {
            return "";
        }
        return """
                set output '../%s.png'
                set title '%s'
                set xlabel 'wait, ms (log)'
                set ylabel 'fraction of grants'
                set logscale x 10
                set yrange [0:1]
                %s
                unset logscale
                set yrange [*:*]
                """.formatted(base, title, plot);
    }

    private static String cdfPoints(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        StringBuilder s = new StringBuilder();
        int step = Math.max(1, sorted.length / MAX_CDF_POINTS);
        for (int i = 0; i < sorted.length; i += step) {
            s.append(num(Math.max(0.01, sorted[i] / 1e6)))
                    .append(' ')
                    .append(num((i + 1) / (double) sorted.length))
                    .append('\n');
        }
        s.append(num(Math.max(0.01, sorted[sorted.length - 1] / 1e6))).append(" 1\n");
        return s.toString();
    }

    private static String columns(List<String> systems) {
        StringBuilder s = new StringBuilder("N");
        systems.forEach(name -> s.append(" \"").append(name).append('"'));
        return s.append('\n').toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
