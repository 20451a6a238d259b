package dev.lockbroker.cli;

import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LeaseInfo;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockClientException;
import dev.lockbroker.client.LockRequest;
import dev.lockbroker.client.RevokedLease;
import dev.lockbroker.core.InvalidRequestException;
import java.io.PrintWriter;
import java.util.List;

/**
 * One client command with its arguments parsed, free of picocli: {@link ClientArgs} builds it for the
 * fast path, the picocli commands for everything else (help, errors, in-process use). A
 * {@link UsageException} comes before the first request is sent.
 */
sealed interface ClientCall {
    /** Runs the command, printing to {@code out} and {@code err}; answers the exit code. */
    int execute(PrintWriter out, PrintWriter err) throws InterruptedException, UsageException;

    /** {@code lockbroker run}: waits for the lock, runs a command while holding it, releases it. */
    record Run(LockArgs lock, BrokerArgs broker, boolean quiet, List<String> command) implements ClientCall {
        @Override
        public int execute(PrintWriter out, PrintWriter err) throws InterruptedException, UsageException {
            LockRequest request = lock.request();
            try {
                Watchdog.mode(); // an unknown mode is refused before joining the queue
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            LockClient client = broker.client();
            SignalRelay signals = SignalRelay.install(Thread.currentThread());
            Lease lease;
            try (ProgressReporter progress =
                    new ProgressReporter(err, lock.keyText(), TerminalDetector.stderrIsTerminal(), quiet)) {
                lease = client.acquire(request, lock.maxWait(), 10, progress::update);
            } catch (InterruptedException e) {
                return interrupted(err, signals);
            } catch (LockClientException e) {
                return FailureReport.report(err, e);
            }
            if (signals.signalNumber() != 0) {
                Thread.interrupted();
                lease.close();
                return interrupted(err, signals);
            }
            return new ChildSupervisor(lease, command, signals, err).run();
        }

        private static int interrupted(PrintWriter err, SignalRelay signals) {
            err.println("lockbroker: interrupted while waiting; left the queue");
            err.flush();
            int signal = signals.signalNumber();
            return ExitCodes.forSignal(signal == 0 ? 2 : signal);
        }
    }

    /** {@code lockbroker acquire}: waits for the lock and prints the lease as JSON, for scripts. */
    record Acquire(LockArgs lock, BrokerArgs broker, boolean quiet) implements ClientCall {
        @Override
        public int execute(PrintWriter out, PrintWriter err) throws InterruptedException, UsageException {
            var request = lock.request();
            var client = broker.client();
            LeaseInfo lease;
            try (ProgressReporter progress =
                    new ProgressReporter(err, lock.keyText(), TerminalDetector.stderrIsTerminal(), quiet)) {
                lease = client.acquireUnmanaged(request, lock.maxWait(), progress::update);
            } catch (LockClientException e) {
                return FailureReport.report(err, e);
            }
            out.println(lease.toJson()); // after the progress line is cleared
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code lockbroker heartbeat LEASE}: extends a lease by its TTL. */
    record Heartbeat(BrokerArgs broker, String leaseId) implements ClientCall {
        @Override
        public int execute(PrintWriter out, PrintWriter err) throws InterruptedException, UsageException {
            var client = broker.client();
            try {
                out.println(client.heartbeat(leaseId).toJson());
                out.flush();
                return ExitCodes.OK;
            } catch (LockClientException e) {
                return FailureReport.report(err, e);
            }
        }
    }

    /** {@code lockbroker release LEASE}: releases a lease. */
    record Release(BrokerArgs broker, String leaseId) implements ClientCall {
        @Override
        public int execute(PrintWriter out, PrintWriter err) throws InterruptedException, UsageException {
            var client = broker.client();
            try {
                client.release(leaseId);
                return ExitCodes.OK;
            } catch (LockClientException e) {
                return FailureReport.report(err, e);
            }
        }
    }

    /** {@code lockbroker status [NAMESPACE]}: holders and queues; {@code namespace} may be null. */
    record Status(BrokerArgs broker, boolean json, String namespace) implements ClientCall {
        @Override
        public int execute(PrintWriter out, PrintWriter err) throws InterruptedException, UsageException {
            var client = broker.client();
            try {
                if (json) {
                    out.println(client.statusJsonText(namespace));
                } else if (namespace == null) {
                    out.print(StatusTable.of(client.namespaces()));
                } else {
                    out.print(StatusTable.of(client.status(namespace), System.currentTimeMillis()));
                }
                out.flush();
                return ExitCodes.OK;
            } catch (InvalidRequestException e) {
                throw new UsageException(e.getMessage()); // the namespace is checked before it is sent
            } catch (LockClientException e) {
                return FailureReport.report(err, e);
            }
        }
    }

    /** {@code lockbroker revoke}: by lease id, or by key ({@code namespace}, {@code shard}, {@code fencingToken}). */
    record Revoke(BrokerArgs broker, String leaseId, String namespace, String shard, Long fencingToken, String reason)
            implements ClientCall {
        @Override
        public int execute(PrintWriter out, PrintWriter err) throws InterruptedException, UsageException {
            if ((leaseId == null) == (namespace == null)) {
                throw new UsageException("give either LEASE or --namespace");
            }
            if (leaseId != null && (shard != null || fencingToken != null)) {
                throw new UsageException("--shard and --fencing-token go with --namespace");
            }
            var client = broker.client();
            try {
                if (leaseId != null) {
                    client.revoke(leaseId, reason);
                    out.println("revoked " + leaseId);
                } else {
                    List<RevokedLease> revoked = client.revokeKey(namespace, shard, fencingToken, reason);
                    revoked.forEach(
                            r -> out.println("revoked " + r.leaseId() + " (fencing token " + r.fencingToken() + ")"));
                }
                out.flush();
                return ExitCodes.OK;
            } catch (LockClientException | IllegalArgumentException e) {
                return FailureReport.report(err, e);
            }
        }
    }
}
