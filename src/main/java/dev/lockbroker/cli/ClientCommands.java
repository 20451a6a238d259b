package dev.lockbroker.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The client subcommands in picocli, for the top command to add with {@link #addTo}: for help,
 * errors and what {@link ClientArgs} leaves to picocli. Loading them touches no server classes.
 */
public final class ClientCommands {
    private static final Map<String, Supplier<Object>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("run", RunCommand::new);
        BY_NAME.put("acquire", AcquireCommand::new);
        BY_NAME.put("heartbeat", HeartbeatCommand::new);
        BY_NAME.put("release", ReleaseCommand::new);
        BY_NAME.put("status", StatusCommand::new);
        BY_NAME.put("revoke", RevokeCommand::new);
    }

    private ClientCommands() {}

    /** The names of the client subcommands. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /** Adds every client subcommand to {@code top}; {@code run} takes its command without {@code --}. */
    public static void addTo(CommandLine top) {
        addTo(top, List.copyOf(BY_NAME.keySet()));
    }

    /**
     * Adds only the client subcommands {@code names}: picocli builds each command's model by reflection
     * when it is added, which is most of a short client command's start-up.
     */
    public static void addTo(CommandLine top, List<String> names) {
        names.forEach(name -> top.addSubcommand(name, BY_NAME.get(name).get()));
        if (top.getSubcommands().containsKey("run")) {
            top.getSubcommands().get("run").setStopAtPositional(true);
        }
        // An argument starting with @ is an argument, not a file of arguments: `run -- curl -d @body.json`
        // must hand curl "@body.json". Set after the subcommands are added, so they all take it.
        top.setExpandAtFiles(false);
    }

    /** Runs {@code call} for the picocli command {@code spec}: its streams, and a usage error as picocli's own. */
    static int execute(CommandSpec spec, ClientCall call) throws InterruptedException {
        try {
            return call.execute(spec.commandLine().getOut(), spec.commandLine().getErr());
        } catch (UsageException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
