package dev.lockbroker.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@code lockbroker} client command run as its own process against a broker, output in files. */
public final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code lockbroker args...} with {@code --server url} added after the subcommand when url is set. */
    public static CliProcess start(Path workDir, URI url, String... args) throws IOException {
        return start(workDir, url, Map.of(), args);
    }

    /** As {@link #start(Path, URI, String...)}, with {@code env} added to the process's environment. */
    public static CliProcess start(Path workDir, URI url, Map<String, String> env, String... args) throws IOException {
        return start(workDir, url, env, false, args);
    }

    /**
     * As {@link #start(Path, URI, Map, String...)}, in a session and process group of its own
     * ({@code setsid}), as a job started by cron or a CI runner would be; its pid is the group's id.
     */
    public static CliProcess startAsGroupLeader(Path workDir, URI url, Map<String, String> env, String... args)
            throws IOException {
        return start(workDir, url, env, true, args);
    }

    private static CliProcess start(Path workDir, URI url, Map<String, String> env, boolean setsid, String... args)
            throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        if (url != null) {
            all.add(1, "--server");
            all.add(2, url.toString());
        }
        Path out = Files.createTempFile(workDir, "cli-", ".out");
        Path err = Files.createTempFile(workDir, "cli-", ".err");
        ProcessBuilder builder = JavaProcess.lockbroker(all, env, out, err);
        if (setsid) {
            builder.command().addFirst("setsid");
        }
        return new CliProcess(builder.start(), out, err);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void signal(String name) {
        JavaProcess.signal(process.pid(), name);
    }

    /** The exit code; fails if the process has not exited within {@code timeout}. */
    public int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("lockbroker did not exit within " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            JavaProcess.signal(process.pid(), "CONT");
            process.destroyForcibly().waitFor();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
