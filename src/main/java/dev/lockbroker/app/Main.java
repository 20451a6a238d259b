package dev.lockbroker.app;

import dev.lockbroker.cli.ClientArgs;
import dev.lockbroker.cli.ClientCommands;
import dev.lockbroker.cli.ExitCodes;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lockbroker} command. A client command whose arguments {@link ClientArgs} takes runs
 * without picocli (a short {@code run} is then mostly JVM start-up); everything else goes through
 * picocli. Subcommands load only what they use, so client commands start without touching server classes.
 */
@Command(
        name = "lockbroker",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        versionProvider = Main.Version.class,
        description = "Fair FIFO locks with fencing tokens for jobs that share an S3 bucket.")
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs {@code args}: on the fast path when it takes them, else through picocli. */
    static int execute(String... args) {
        OptionalInt fast = ClientArgs.runIfParsed(args, System.getenv(), message -> usageError(args, message));
        return fast.isPresent() ? fast.getAsInt() : run(args);
    }

    /** Runs {@code args} through picocli. */
    static int run(String... args) {
        return commandLine(args).execute(args);
    }

    private static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        String first = args.length == 0 ? "" : args[0];
        if (ClientCommands.names().contains(first)) {
            ClientCommands.addTo(cli, List.of(first)); // a client command: build only its model
        } else {
            cli.addSubcommand(new ServerCommand());
            cli.addSubcommand(new CommandLine.HelpCommand());
            ClientCommands.addTo(cli);
        }
        return cli;
    }

    /** A usage error of client command {@code args[0]} found on the fast path, reported as picocli reports its own. */
    private static int usageError(String[] args, String message) {
        CommandLine cli = commandLine(args);
        CommandLine command = cli.getSubcommands().get(args[0]);
        try {
            return cli.getParameterExceptionHandler()
                    .handleParseException(new CommandLine.ParameterException(command, message), args);
        } catch (Exception e) {
            throw new IllegalStateException(e); // picocli's own handler only prints
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lockbroker " + (version == null ? "dev" : version)};
        }
    }
}
