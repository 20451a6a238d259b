package dev.lockbroker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lockbroker acquire}: waits for the lock and prints the lease as JSON, for scripts. */
@Command(
        name = "acquire",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        sortOptions = false,
        description = {
            "Waits in the lock's FIFO queue and prints the granted lease as JSON on stdout, then exits.",
            "The lease is not heartbeated: call 'lockbroker heartbeat LEASE' more often than its TTL and 'lockbroker release LEASE' when done."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  lease=$(lockbroker acquire -n deploys -s eu-1 --ttl 2m | jq -r .leaseId)",
            "  lockbroker heartbeat \"$lease\" >/dev/null; ...; lockbroker release \"$lease\""
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {
            ExitCodes.L_OK,
            ExitCodes.L_USAGE,
            ExitCodes.L_UNAVAILABLE,
            ExitCodes.L_BUSY,
            ExitCodes.L_TIMED_OUT,
            ExitCodes.L_OTHER
        })
public final class AcquireCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LockOptions lock;

    @Mixin
    BrokerOptions broker;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress on stderr.")
    boolean quiet;

    /** The parsed command. */
    ClientCall toCall() {
        return new ClientCall.Acquire(lock.args(), broker.args(), quiet);
    }

    @Override
    @SuppressWarnings("try") // the progress line is closed before the lease is printed, then again by try
    public Integer call() throws InterruptedException {
        return ClientCommands.execute(spec, toCall());
    }
}
