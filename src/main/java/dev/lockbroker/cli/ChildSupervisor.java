package dev.lockbroker.cli;

import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LeaseLostException;
import dev.lockbroker.client.LockClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the command while the lease is valid: starts it with the lease in its environment, waits for
 * it to exit or for the lease's validity to run out (whichever is first), stops it in the second case,
 * and releases the lease. The child is stopped before the lease's expiry as last confirmed, less the
 * margin of {@link dev.lockbroker.client.HeartbeatPolicy}.
 */
final class ChildSupervisor {
    private final Lease lease;
    private final List<String> command;
    private final SignalRelay signals;
    private final PrintWriter err;

    ChildSupervisor(Lease lease, List<String> command, SignalRelay signals, PrintWriter err) {
        this.lease = lease;
        this.command = command;
        this.signals = signals;
        this.err = err;
    }

    /** The child's exit code, or 75 when the lease was lost, or 126/127 when the command could not start. */
    int run() throws InterruptedException {
        Process child;
        try {
            child = start();
        } catch (IOException e) {
            lease.close();
            return cannotStart(e);
        }
        signals.forwardTo(child);
        Thread hook = Thread.ofPlatform().unstarted(() -> stopOnExit(child));
        Runtime.getRuntime().addShutdownHook(hook);
        CompletableFuture<LeaseLostException> lost = new CompletableFuture<>();
        lease.onLost(lost::complete);
        boolean exited = awaitExitWhileValid(child, lost);
        if (!exited) {
            ChildStopper.stop(child, lease.policy().stopGraceNanos());
            err.println("lockbroker: " + lossText(lost) + "; stopped " + command.get(0) + " (pid " + child.pid() + ")");
            err.flush();
            lease.close();
            return ExitCodes.TEMPFAIL;
        }
        releaseOrWarn();
        return child.exitValue();
    }

    private Process start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = builder.environment();
        var info = lease.info();
        env.put("LOCKBROKER_LEASE_ID", info.leaseId());
        env.put("LOCKBROKER_FENCING_TOKEN", Long.toString(info.fencingToken()));
        env.put("LOCKBROKER_NAMESPACE", info.namespace());
        env.put("LOCKBROKER_SHARD", info.shard() == null ? "" : info.shard());
        return builder.start();
    }

    /** True when the child exited; false when the lease was lost or its validity ran out first. */
    private boolean awaitExitWhileValid(Process child, CompletableFuture<LeaseLostException> lost)
            throws InterruptedException {
        CompletableFuture<Object> either = CompletableFuture.anyOf(child.onExit(), lost);
        while (true) {
            long leftNanos = lease.validUntilNanos() - System.nanoTime();
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

    private int cannotStart(IOException e) {
        String message = String.valueOf(e.getMessage());
        boolean notExecutable = message.contains("error=13");
        err.println("lockbroker: cannot run " + command.get(0) + ": " + message);
        err.flush();
        return notExecutable ? ExitCodes.NOT_EXECUTABLE : ExitCodes.NOT_FOUND;
    }

    /** At JVM exit with the child still running (an unhandled signal): stop it, then release. */
    private void stopOnExit(Process child) {
        if (child.isAlive()) {
            try {
                ChildStopper.stop(child, lease.policy().stopGraceNanos());
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }
        lease.close();
    }
}
