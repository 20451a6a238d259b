package dev.lockbroker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The command of {@code run} under a watchdog process ({@code watchdog.sh}, run by bash) that stops it
 * when its lease may no longer be held, even when this JVM is killed or frozen: the JVM writes each
 * new deadline into a FIFO, the watchdog stops the command when the last one passes or when the FIFO
 * closes because the JVM died. See the script's header for the protocol and the process groups.
 *
 * <p>Concurrency contract: {@code lock} serialises writes to the FIFO (heartbeat thread, signal
 * thread, supervisor); a write never blocks for long, since the pipe is drained by the watchdog and
 * holds far more than the few lines in flight.
 */
final class Watchdog {
    /** {@code auto} (the default), {@code group} or {@code tree}: see the script's header. */
    static final String MODE_ENV = "LOCKBROKER_WATCHDOG_MODE";

    private static final List<String> MODES = List.of("auto", "group", "tree");

    private static final List<String> BASH_PLACES = List.of("/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash");

    private final Process process;
    private final Path dir;
    private final FileChannel fifo;
    private final StopDeadline deadline;
    private final ReentrantLock lock = new ReentrantLock();

    private Watchdog(Process process, Path dir, FileChannel fifo, StopDeadline deadline) {
        this.process = process;
        this.dir = dir;
        this.fifo = fifo;
        this.deadline = deadline;
    }

    /** The watchdog mode from the environment; refuses a value the script would not know. */
    static String mode() {
        String mode = System.getenv().getOrDefault(MODE_ENV, "auto");
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException(MODE_ENV + " must be one of " + MODES + ", not '" + mode + "'");
        }
        return mode;
    }

    /** The bash that runs the watchdog, if this machine has one. */
    static Optional<Path> bash() {
        List<Path> candidates =
                new ArrayList<>(BASH_PLACES.stream().map(Path::of).toList());
        CommandPath.entries().forEach(dir -> candidates.add(dir.resolve("bash")));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts {@code command} (stdio inherited, {@code env} added) under the watchdog, to be stopped as
     * {@code deadline} says for a lease valid until {@code validUntilNanos}, unless {@link #renewed}.
     */
    static Watchdog start(
            Path bash, List<String> command, Map<String, String> env, long validUntilNanos, StopDeadline deadline)
            throws IOException, InterruptedException {
        Path dir = privateDirectory();
        Path script = dir.resolve("watchdog.sh");
        Path fifoPath = dir.resolve("deadlines");
        try (InputStream text = Watchdog.class.getResourceAsStream("watchdog.sh")) {
            Files.write(script, text.readAllBytes());
        }
        makeFifo(fifoPath);
        // Read and write: opening a FIFO for writing alone would block until the watchdog opens it.
        FileChannel fifo = FileChannel.open(fifoPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        List<String> argv = new ArrayList<>(List.of(
                bash.toString(),
                script.toString(),
                fifoPath.toString(),
                seconds(deadline.termAt(validUntilNanos) - System.nanoTime()),
                seconds(deadline.graceNanos()),
                mode()));
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
        builder.environment().putAll(env);
        try {
            return new Watchdog(builder.start(), dir, fifo, deadline);
        } catch (IOException e) {
            fifo.close();
            throw e;
        }
    }

    Process process() {
        return process;
    }

    /** The lease was confirmed valid until {@code validUntilNanos}: move the stop there. */
    void renewed(long validUntilNanos) {
        lock.lock();
        try {
            // Measured under the lock, just before the write: a pause before it cannot delay the stop.
            long termInNanos = deadline.termAt(validUntilNanos) - System.nanoTime();
            write(termInNanos <= 0 ? "stop" : "term-in " + seconds(termInNanos));
        } finally {
            lock.unlock();
        }
    }

    /** The lease is lost: SIGTERM now, SIGKILL after the grace. */
    void stop() {
        write("stop");
    }

    /** Passes signal {@code name} (INT, TERM, HUP) on to the command. */
    void signal(String name) {
        write("signal " + name);
    }

    /** True when the watchdog stopped the command because its deadline passed or {@link #stop} asked. */
    boolean stoppedTheCommand() {
        return Files.exists(dir.resolve("stopped"));
    }

    /** The command has exited (and the lease is released): the watchdog may go; its files are removed. */
    void finish() {
        write("exit");
        try {
            fifo.close();
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A leftover empty directory in the temporary directory: harmless.
        }
    }

    /** Waits up to {@code nanos} for the watchdog (and so the command) to exit. */
    boolean awaitExit(long nanos) throws InterruptedException {
        return process.waitFor(nanos, TimeUnit.NANOSECONDS);
    }

    private void write(String line) {
        lock.lock();
        try {
            // A watchdog gone reads nothing more: writing on could fill the pipe and block this thread.
            if (fifo.isOpen() && process.isAlive()) {
                fifo.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException e) {
            // The watchdog is gone (it only goes once the command has): nothing left to tell.
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new directory that only this user can enter, in the temporary directory. Not
     * {@link Files#createTempDirectory}, whose SecureRandom costs a short command tens of milliseconds:
     * the name need not be unguessable, since the directory is created atomically (an existing one,
     * or a symlink put in its place, fails and the next name is tried) and is private once made.
     */
    private static Path privateDirectory() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            Path dir = tmp.resolve("lockbroker-run-" + pid + "-" + Long.toHexString(System.nanoTime()));
            try {
                return Files.createDirectory(dir, owner);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static void makeFifo(Path path) throws IOException, InterruptedException {
        int code = new ProcessBuilder("mkfifo", "-m", "600", path.toString())
                .inheritIO()
                .start()
                .waitFor();
        if (code != 0) {
            throw new IOException("mkfifo " + path + " exited " + code);
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, nanos) / 1e9);
    }
}
