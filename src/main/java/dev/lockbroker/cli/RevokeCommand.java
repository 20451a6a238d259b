package dev.lockbroker.cli;

import dev.lockbroker.client.LockClientException;
import dev.lockbroker.client.RevokedLease;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lockbroker revoke}: an operator ends a stuck or runaway lease (admin token). */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {
            "Revokes (force-releases) a lease, by its id or by key; needs an admin token.",
            "The holder learns the reason at its next heartbeat; 'lockbroker run' then stops its command."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  lockbroker revoke \"$lease\" --reason 'stuck since Tuesday'",
            "  lockbroker revoke --namespace nightly --shard eu-1 --fencing-token 42 --reason 'runaway job'",
            "  lockbroker revoke --namespace nightly --reason 'whole-namespace lock left behind'"
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {
            ExitCodes.L_OK,
            ExitCodes.L_USAGE,
            ExitCodes.L_UNAVAILABLE,
            "74:The lease had already ended.",
            "1:Unknown lease, key not held, held under another fencing token, or another failure."
        })
public final class RevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Parameters(arity = "0..1", paramLabel = "LEASE", description = "The lease id to revoke.")
    String leaseId;

    @Option(names = "--namespace", description = "Revoke by key: the namespace.")
    String namespace;

    @Option(names = "--shard", description = "Revoke by key: the shard (omit for the whole-namespace key).")
    String shard;

    @Option(names = "--fencing-token", paramLabel = "N", description = "Revoke only if the key is held under N.")
    Long fencingToken;

    @Option(names = "--reason", required = true, description = "Why; the holder is told.")
    String reason;

    @Override
    public Integer call() throws InterruptedException {
        if ((leaseId == null) == (namespace == null)) {
            throw new ParameterException(spec.commandLine(), "give either LEASE or --namespace");
        }
        if (leaseId != null && (shard != null || fencingToken != null)) {
            throw new ParameterException(spec.commandLine(), "--shard and --fencing-token go with --namespace");
        }
        try {
            if (leaseId != null) {
                broker.client().revoke(leaseId, reason);
                spec.commandLine().getOut().println("revoked " + leaseId);
            } else {
                List<RevokedLease> revoked = broker.client().revokeKey(namespace, shard, fencingToken, reason);
                revoked.forEach(r -> spec.commandLine()
                        .getOut()
                        .println("revoked " + r.leaseId() + " (fencing token " + r.fencingToken() + ")"));
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (LockClientException | IllegalArgumentException e) {
            return FailureReport.report(spec.commandLine().getErr(), e);
        }
    }
}
