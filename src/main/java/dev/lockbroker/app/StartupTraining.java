package dev.lockbroker.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training run for the JVM's ahead-of-time cache of the client commands ({@code bin/lockbroker}
 * records it with {@code -XX:AOTCacheOutput}): runs {@code run}, {@code acquire}, {@code heartbeat},
 * {@code release} and {@code status} against the broker at {@code args[0]}, so the cache holds the
 * classes and profiles of every client command on its fast path ({@link dev.lockbroker.cli.ClientArgs}).
 * Help and usage errors (picocli) are left out on purpose: picocli's classes cannot be AOT-linked, and
 * every archived class is loaded and linked at start-up, so one that names a picocli type would load
 * picocli into every run. Not a user command.
 */
public final class StartupTraining {
    private static final Pattern LEASE_ID = Pattern.compile("\"leaseId\"\\s*:\\s*\"([^\"]+)\"");

    private StartupTraining() {}

    public static void main(String[] args) {
        String url = args[0];
        String ns = "lockbroker-startup-training";
        for (int round = 0; round < 3; round++) {
            Main.execute("run", "--server", url, "-n", ns, "-q", "--", "true");
            Main.execute("run", "--server", url, "-n", ns, "-s", "a", "-q", "true");
            String lease = leaseId(captured(() -> Main.execute("acquire", "--server", url, "-n", ns, "--ttl", "60s")));
            Main.execute("heartbeat", "--server", url, lease);
            Main.execute("release", "--server", url, lease);
            captured(() -> Main.execute("status", "--server", url, ns));
            captured(() -> Main.execute("status", "--server", url));
            captured(() -> Main.execute("status", "--server", url, "--json", ns));
        }
    }

    private static String leaseId(String json) {
        Matcher m = LEASE_ID.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("acquire printed no lease: " + json);
        }
        return m.group(1);
    }

    /** What {@code command} prints on stdout, kept off the real stdout. */
    private static String captured(Runnable command) {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            command.run();
        } finally {
            System.setOut(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
