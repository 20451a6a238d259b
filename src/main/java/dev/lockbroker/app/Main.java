package dev.lockbroker.app;

import dev.lockbroker.cli.ClientCommands;
import dev.lockbroker.cli.ExitCodes;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lockbroker} command. Subcommands load only what they use, so client commands start
 * without touching server classes.
 */
@Command(
        name = "lockbroker",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        versionProvider = Main.Version.class,
        description = "Fair FIFO locks with fencing tokens for jobs that share an S3 bucket.")
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        String first = args.length == 0 ? "" : args[0];
        if (ClientCommands.names().contains(first)) {
            ClientCommands.addTo(cli, List.of(first)); // a client command: build only its model
        } else {
            cli.addSubcommand(new ServerCommand());
            cli.addSubcommand(new CommandLine.HelpCommand());
            ClientCommands.addTo(cli);
        }
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lockbroker " + (version == null ? "dev" : version)};
        }
    }
}
