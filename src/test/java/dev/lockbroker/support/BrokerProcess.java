package dev.lockbroker.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real broker process ({@code lockbroker server --port 0}) started from the test classpath, with
 * its output in files under {@code workDir}. Close stops it (SIGKILL after a short grace).
 *
 * <pre>{@code
 * try (BrokerProcess broker = BrokerProcess.start(tempDir, 2, 3)) {
 *     URI url = broker.url();
 * }
 * }</pre>
 */
public final class BrokerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("lockbroker listening on (https?://[^\\s]+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60); // JVMs start slowly on a loaded CI machine

    private final Process process;
    private final URI url;
    private final Path stdout;
    private final Path stderr;

    private BrokerProcess(Process process, URI url, Path stdout, Path stderr) {
        this.process = process;
        this.url = url;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** A broker with the given long-poll window and ticket TTL, storing on disk under {@code workDir}. */
    public static BrokerProcess start(Path workDir, int longPollSeconds, int ticketTtlSeconds, String... extraArgs)
            throws IOException, InterruptedException {
        return start(workDir, Map.of(), longPollSeconds, ticketTtlSeconds, extraArgs);
    }

    /** As {@link #start(Path, int, int, String...)}, with {@code env} added to the environment. */
    public static BrokerProcess start(
            Path workDir, Map<String, String> env, int longPollSeconds, int ticketTtlSeconds, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--data-dir",
                workDir.resolve("broker-data").toString(),
                "--long-poll-seconds",
                Integer.toString(longPollSeconds),
                "--ticket-ttl-seconds",
                Integer.toString(ticketTtlSeconds)));
        args.addAll(List.of(extraArgs));
        return startWith(workDir, args, env);
    }

    /** A broker started with exactly {@code args}; it prints the URL it listens on, whatever the port. */
    public static BrokerProcess startWith(Path workDir, List<String> args) throws IOException, InterruptedException {
        return startWith(workDir, args, Map.of());
    }

    /** As {@link #startWith(Path, List)}, with {@code env} added to the environment. */
    public static BrokerProcess startWith(Path workDir, List<String> args, Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "broker-", ".out");
        Path err = Files.createTempFile(workDir, "broker-", ".err");
        Process process = JavaProcess.lockbroker(args, env, out, err).start();
        try {
            return new BrokerProcess(process, awaitUrl(process, out, err), out, err);
        } catch (IOException | RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Kills the broker at once (SIGKILL), as a crash or an OOM killer would, and waits for it to be gone. */
    public void kill() throws InterruptedException {
        JavaProcess.signal(process.pid(), "KILL");
        process.waitFor();
    }

    /** Freezes the broker (SIGSTOP): connections are accepted by the kernel but never answered. */
    public void freeze() {
        JavaProcess.signal(process.pid(), "STOP");
    }

    public void thaw() {
        JavaProcess.signal(process.pid(), "CONT");
    }

    /** Its stdout and stderr so far, for failure messages. */
    public String output() {
        try {
            return Files.readString(stdout) + Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            JavaProcess.signal(process.pid(), "CONT");
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static URI awaitUrl(Process process, Path out, Path err) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Matcher m = LISTENING.matcher(Files.readString(out));
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited " + process.exitValue() + ":\n"
                        + Files.readString(out) + Files.readString(err));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(
                "the broker did not start within " + START_TIMEOUT + ":\n" + Files.readString(err));
    }
}
