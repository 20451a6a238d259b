package dev.lockbroker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lockbroker release LEASE}: releases a lease. */
@Command(
        name = "release",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description =
                "Releases a lease (releasing twice is fine); exits 74 when it had already expired or been revoked.",
        footerHeading = "%nExamples:%n",
        footer = "  lockbroker release \"$lease\"",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {
            ExitCodes.L_OK,
            ExitCodes.L_USAGE,
            ExitCodes.L_UNAVAILABLE,
            "74:The lease had ended otherwise (expired or revoked).",
            "1:Unknown lease, or another failure."
        })
public final class ReleaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Parameters(paramLabel = "LEASE", description = "The lease id that acquire printed.")
    String leaseId;

    /** The parsed command. */
    ClientCall toCall() {
        return new ClientCall.Release(broker.args(), leaseId);
    }

    @Override
    public Integer call() throws InterruptedException {
        return ClientCommands.execute(spec, toCall());
    }
}
