package dev.lockbroker.cli;

import java.util.List;

/**
 * The client subcommands, for the top command to add: {@code ClientCommands.all().forEach(cl::addSubcommand)}.
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
                new StatusCommand(),
                new RevokeCommand());
    }
}
