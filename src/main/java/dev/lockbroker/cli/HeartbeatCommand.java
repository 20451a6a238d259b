package dev.lockbroker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lockbroker heartbeat LEASE}: extends a lease by its TTL. */
@Command(
        name = "heartbeat",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Extends a lease by its TTL and prints it as JSON; exits 74 when the lease has ended.",
        footerHeading = "%nExamples:%n",
        footer = "  while sleep 10; do lockbroker heartbeat \"$lease\" >/dev/null || exit 74; done &",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {
            ExitCodes.L_OK,
            ExitCodes.L_USAGE,
            ExitCodes.L_UNAVAILABLE,
            "74:The lease ended (expired, revoked or released).",
            "1:Unknown lease, or another failure."
        })
public final class HeartbeatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Parameters(paramLabel = "LEASE", description = "The lease id that acquire printed.")
    String leaseId;

    /** The parsed command. */
    ClientCall toCall() {
        return new ClientCall.Heartbeat(broker.args(), leaseId);
    }

    @Override
    public Integer call() throws InterruptedException {
        return ClientCommands.execute(spec, toCall());
    }
}
