package dev.lockbroker.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The command that {@code run} started under the lock: under the {@link Watchdog} where bash exists,
 * which stops it even when this JVM cannot, or else as a plain child that this JVM stops itself.
 */
sealed interface RunningCommand {
    /** How long past the grace the watchdog may take to report the command's end before this JVM steps in. */
    long WATCHDOG_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    static RunningCommand start(
            Optional<Path> bash,
            List<String> command,
            Map<String, String> env,
            long validUntilNanos,
            StopDeadline deadline)
            throws IOException, InterruptedException {
        if (bash.isPresent()) {
            return new Watched(Watchdog.start(bash.get(), command, env, validUntilNanos, deadline));
        }
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(env);
        return new Unwatched(builder.start());
    }

    /** The process whose exit is the command's: the watchdog, or the command itself. */
    Process process();

    /** The lease was confirmed valid until {@code validUntilNanos} (monotonic). */
    void renewed(long validUntilNanos);

    /** Passes signal {@code name} on to the command. */
    void signal(String name);

    /** SIGTERM, then SIGKILL after {@code graceNanos}; returns once the command is gone. */
    void stop(long graceNanos) throws InterruptedException;

    /** The command exited: the watchdog may go. */
    void finished();

    /** True when the command did not exit by itself but was stopped by the watchdog. */
    boolean stoppedByWatchdog();

    record Watched(Watchdog watchdog) implements RunningCommand {
        @Override
        public Process process() {
            return watchdog.process();
        }

        @Override
        public void renewed(long validUntilNanos) {
            watchdog.renewed(validUntilNanos);
        }

        @Override
        public void signal(String name) {
            watchdog.signal(name);
        }

        /**
         * The watchdog stops the command; what this JVM saw below it beforehand is killed afterwards too,
         * in case something there escaped the watchdog's sweep.
         */
        @Override
        public void stop(long graceNanos) throws InterruptedException {
            List<ProcessHandle> seen = watchdog.process().descendants().toList();
            watchdog.stop();
            if (!watchdog.awaitExit(graceNanos + WATCHDOG_SLACK_NANOS)) {
                ChildStopper.stop(watchdog.process(), graceNanos);
            }
            seen.forEach(ProcessHandle::destroyForcibly);
        }

        @Override
        public void finished() {
            watchdog.finish();
        }

        @Override
        public boolean stoppedByWatchdog() {
            return watchdog.stoppedTheCommand();
        }
    }

    /** No bash here: only this JVM can stop the command, so a killed or frozen wrapper leaves it running. */
    record Unwatched(Process process) implements RunningCommand {
        @Override
        public void renewed(long validUntilNanos) {}

        @Override
        public void signal(String name) {
            SignalRelay.send(process.pid(), name);
        }

        @Override
        public void stop(long graceNanos) throws InterruptedException {
            ChildStopper.stop(process, graceNanos);
        }

        @Override
        public void finished() {}

        @Override
        public boolean stoppedByWatchdog() {
            return false;
        }
    }
}
