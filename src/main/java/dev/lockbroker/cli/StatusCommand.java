package dev.lockbroker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lockbroker status [NAMESPACE]}: holders and queues. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Shows the holders and queue of every key in NAMESPACE, or the active namespaces without one.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lockbroker status",
            "  lockbroker status deploys",
            "  lockbroker status deploys --json | jq '.locks[].holders'"
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.L_OK, ExitCodes.L_USAGE, ExitCodes.L_UNAVAILABLE, ExitCodes.L_OTHER})
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Option(names = "--json", description = "Print the broker's JSON instead of a table.")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "NAMESPACE", description = "The namespace to show.")
    String namespace;

    /** The parsed command. */
    ClientCall toCall() {
        return new ClientCall.Status(broker.args(), json, namespace);
    }

    @Override
    public Integer call() throws InterruptedException {
        return ClientCommands.execute(spec, toCall());
    }
}
