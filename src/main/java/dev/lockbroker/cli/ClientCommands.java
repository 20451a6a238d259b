package dev.lockbroker.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * The client subcommands, for the top command to add with {@link #addTo}.
 * Loading them touches no server classes.
 */
public final class ClientCommands {
    private ClientCommands() {}

    public static List<Object> all() {
        return List.of(
                new RunCommand(),
                new AcquireCommand(),
                new HeartbeatCommand(),
                new ReleaseCommand(),
                new StatusCommand());
    }

    /** Adds the client subcommands to {@code top}; {@code run} takes its command without {@code --}. */
    public static void addTo(CommandLine top) {
        all().forEach(top::addSubcommand);
        top.getSubcommands().get("run").setStopAtPositional(true);
    }
}
