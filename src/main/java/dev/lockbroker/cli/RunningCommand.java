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
            Optional<Path> bash, List<String> command, Map<String, String> env, long termInNanos, long graceNanos)
            throws IOException {
        if (bash.isPresent()) {
            return new Watched(Watchdog.start(bash.get(), command, env, termInNanos, graceNanos));
        }
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(env);
        return new Unwatched(builder.start());
    }

    /** The process whose exit is the command's: the watchdog, or the command itself. */
    Process process();

    /** The lease was confirmed: the command may run for {@code termInNanos} more before SIGTERM. */
    void renewed(long termInNanos);

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
        public void renewed(long termInNanos) {
            watchdog.termIn(termInNanos);
        }

        @Override
        public void signal(String name) {
            watchdog.signal(name);
        }

        @Override
        public void stop(long graceNanos) throws InterruptedException {
            watchdog.stop();
            if (!watchdog.awaitExit(graceNanos + WATCHDOG_SLACK_NANOS)) {
                ChildStopper.stop(watchdog.process(), graceNanos);
            }
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
        public void renewed(long termInNanos) {}

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
