package dev.lockbroker.cli;

import dev.lockbroker.client.HeartbeatPolicy;
import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LeaseLostException;
import dev.lockbroker.client.LockClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the command while the lease is valid: starts it with the lease in its environment, waits for
 * it to exit or for the lease's validity to run out (whichever is first), stops it in the second case,
 * and releases the lease. The command is stopped as {@link StopDeadline} says, before the lease's
 * validity ends (see {@link HeartbeatPolicy}); the {@link Watchdog} keeps that deadline too, so it
 * holds when this JVM is killed or frozen.
 */
final class ChildSupervisor {
    private final Lease lease;
    private final List<String> command;
    private final SignalRelay signals;
    private final PrintWriter err;
    private final Optional<Path> bash;
    private final StopDeadline deadline;

    ChildSupervisor(Lease lease, List<String> command, SignalRelay signals, PrintWriter err) {
        this.lease = lease;
        this.command = command;
        this.signals = signals;
        this.err = err;
        this.bash = Watchdog.bash();
        this.deadline = new StopDeadline(lease.policy().stopGraceNanos());
    }

    /** The command's exit code, or 74 when the lease was lost, or 126/127 when the command could not start. */
    int run() throws InterruptedException {
        // Not a switch on the sealed type: that spins a class at run time, milliseconds of a short run.
        CommandPath path = CommandPath.resolve(command.get(0));
        if (path instanceof CommandPath.NotFound) {
            return cannotStart("command not found", ExitCodes.NOT_FOUND);
        }
        if (path instanceof CommandPath.NotExecutable n) {
            return cannotStart(n.path() + " is not executable", ExitCodes.NOT_EXECUTABLE);
        }
        RunningCommand child;
        try {
            child = RunningCommand.start(bash, command, environment(), lease.validUntilNanos(), deadline);
        } catch (IOException e) {
            return cannotStart("cannot set up its watchdog: " + e.getMessage(), ExitCodes.OS_ERROR);
        } catch (InterruptedException e) {
            // A signal between the grant and the start: as if it had come while waiting.
            lease.close();
            return ExitCodes.forSignal(signals.signalNumber() == 0 ? 2 : signals.signalNumber());
        }
        if (bash.isEmpty()) {
            err.println("lockbroker: no bash found: " + command.get(0)
                    + " is stopped on lease loss only while this process runs");
            err.flush();
        }
        signals.forwardTo(child::signal);
        lease.onRenewed(child::renewed);
        child.renewed(lease.validUntilNanos()); // a heartbeat confirmed during the start

        Thread hook = Thread.ofPlatform().unstarted(() -> stopOnExit(child));
        Runtime.getRuntime().addShutdownHook(hook);
        CompletableFuture<LeaseLostException> lost = new CompletableFuture<>();
        lease.onLost(lost::complete);
        boolean exited = awaitExitWhileValid(child.process(), lost);
        if (!exited || child.stoppedByWatchdog()) {
            // Stopped here, or by the watchdog while this process was frozen: either way the lease ran out.
            child.stop(deadline.graceNanos());
            child.finished();
            err.println("lockbroker: " + lossText(lost) + "; stopped " + command.get(0));
            err.flush();
            lease.close();
            return ExitCodes.LEASE_LOST;
        }
        child.finished();
        releaseOrWarn();
        return child.process().exitValue();
    }

    private Map<String, String> environment() {
        var info = lease.info();
        return Map.of(
                "LOCKBROKER_LEASE_ID", info.leaseId(),
                "LOCKBROKER_FENCING_TOKEN", Long.toString(info.fencingToken()),
                "LOCKBROKER_NAMESPACE", info.namespace(),
                "LOCKBROKER_SHARD", info.shard() == null ? "" : info.shard());
    }

    /** True when the command exited; false when the lease was lost or its validity ran out first. */
    private boolean awaitExitWhileValid(Process child, CompletableFuture<LeaseLostException> lost)
            throws InterruptedException {
        CompletableFuture<Object> either = CompletableFuture.anyOf(child.onExit(), lost);
        while (true) {
            long leftNanos = deadline.termAt(lease.validUntilNanos()) - System.nanoTime();
            if (lost.isDone() || leftNanos <= 0) {
                return !child.isAlive() && !lost.isDone();
            }
            try {
                either.get(leftNanos, TimeUnit.NANOSECONDS);
                return !lost.isDone();
            } catch (TimeoutException e) {
                // Validity may have been extended meanwhile: look again.
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private String lossText(CompletableFuture<LeaseLostException> lost) {
        LeaseLostException cause = lost.getNow(null);
        if (cause != null) {
            return cause.getMessage();
        }
        return "lease " + lease.leaseId() + " could not be confirmed before it may expire";
    }

    private void releaseOrWarn() throws InterruptedException {
        try {
            lease.release();
        } catch (LockClientException e) {
            err.println("lockbroker: could not release lease " + lease.leaseId() + " (it expires within its TTL): "
                    + e.getMessage());
            err.flush();
        }
    }

    private int cannotStart(String reason, int exitCode) {
        // The command never ran: give the lock back now rather than at expiry.
        lease.close();
        err.println("lockbroker: cannot run " + command.get(0) + ": " + reason);
        err.flush();
        return exitCode;
    }

    /** At JVM exit with the command still running (an unhandled signal): stop it, then release. */
    private void stopOnExit(RunningCommand child) {
        if (child.process().isAlive()) {
            try {
                child.stop(deadline.graceNanos());
            } catch (InterruptedException e) {
                child.process().destroyForcibly();
            }
        }
        lease.close();
    }
}
