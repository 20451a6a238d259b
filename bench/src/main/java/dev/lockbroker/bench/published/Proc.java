package dev.lockbroker.bench.published;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process the benchmark started, with its output in one log file. Every one is killed by
 * {@link #killAll} (a shutdown hook), so a failed run leaves no server behind; bench/run also kills
 * the driver's whole process group on exit, for the case where the driver itself is SIGKILLed.
 */
final class Proc implements AutoCloseable {
    private static final List<Proc> LIVE = new CopyOnWriteArrayList<>();
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Proc::killAll, "kill-children"));
    }

    final String name;
    private final Process process;
    private final Path log;

    private Proc(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Proc start(String name, List<String> command, Path dir, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Proc proc = new Proc(name, builder.start(), log);
        LIVE.add(proc);
        return proc;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The first match of {@code pattern} in the log, waiting at most {@code timeout}. */
    Matcher awaitLog(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Matcher m = pattern.matcher(Files.readString(log));
            if (m.find()) {
                return m;
            }
            failIfDead();
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " printed no " + pattern + " within " + timeout + ":\n" + tail());
    }

    /** Waits until 127.0.0.1:{@code port} accepts a connection. */
    void awaitPort(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                failIfDead();
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(name + " not listening on " + port + " within " + timeout + ":\n" + tail());
    }

    /** User + system CPU time of this process so far, in milliseconds, from /proc/PID/stat. */
    long cpuMillis() {
        return cpuMillis(pid());
    }

    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is
            // field 3, utime 14 and stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("no /proc stat for " + pid, e);
        }
    }

    /** SIGKILL, as a crash would; waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        LIVE.remove(this);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                kill();
            }
        }
        LIVE.remove(this);
    }

    static void killAll() {
        for (Proc p : LIVE) {
            p.process.destroyForcibly();
        }
    }

    String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void failIfDead() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + tail());
        }
    }

    /** A port that was free a moment ago, for servers that cannot be told to pick one. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
