package dev.lockbroker.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The client commands' arguments parsed by hand, so that a short {@code run} starts without picocli
 * (whose model takes hundreds of milliseconds to build). It takes a subset of what the picocli
 * commands take, to the same values: options as {@code -n NS}, {@code --namespace NS} or
 * {@code --namespace=NS}, flags alone, {@code --} optional before {@code run}'s command. Anything else
 * — help, version, an unknown, missing, repeated or clustered option, a value that starts with
 * {@code -}, a missing or extra positional, a value that does not convert — is left to picocli,
 * which answers as it always did. Neither expands {@code @file} arguments: they are plain arguments.
 */
public final class ClientArgs {
    /** What a usage error found while running prints: picocli's message and usage; answers the exit code. */
    public interface UsageReport {
        int report(String message);
    }

    private static final Map<String, String> SERVER = Map.of("--server", "server", "--ca-file", "caFile");
    private static final Map<String, String> LOCK = Map.ofEntries(
            Map.entry("-n", "namespace"),
            Map.entry("--namespace", "namespace"),
            Map.entry("-s", "shard"),
            Map.entry("--shard", "shard"),
            Map.entry("--shared", "shared"),
            Map.entry("-w", "wait"),
            Map.entry("--wait", "wait"),
            Map.entry("--ttl", "ttl"),
            Map.entry("--holder", "holder"),
            Map.entry("-q", "quiet"),
            Map.entry("--quiet", "quiet"));
    private static final Map<String, String> STATUS = Map.of("--json", "json");
    private static final Map<String, String> REVOKE = Map.of(
            "--namespace", "namespace",
            "--shard", "shard",
            "--fencing-token", "fencingToken",
            "--reason", "reason");
    private static final Set<String> FLAGS = Set.of("shared", "quiet", "json");
    /** What picocli's Long converter reads as the same decimal number (it also takes hex and octal). */
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,17}");

    private ClientArgs() {}

    /**
     * Runs {@code args} ({@code args[0]} the command) when this parser takes them, printing to stdout
     * and stderr as picocli would; empty when picocli must handle them.
     */
    public static OptionalInt runIfParsed(String[] args, Map<String, String> env, UsageReport usage) {
        Optional<ClientCall> call = parse(List.of(args), env);
        if (call.isEmpty()) {
            return OptionalInt.empty();
        }
        PrintWriter out = writer(System.out);
        PrintWriter err = writer(System.err);
        try {
            return OptionalInt.of(call.get().execute(out, err));
        } catch (UsageException e) {
            return OptionalInt.of(usage.report(e.getMessage()));
        } catch (Exception e) {
            // As picocli reports a command's exception: its stack trace, exit 1.
            e.printStackTrace(err);
            err.flush();
            return OptionalInt.of(ExitCodes.OTHER);
        }
    }

    /** The command {@code args} describe, or empty when they are not in the subset this parser takes. */
    static Optional<ClientCall> parse(List<String> args, Map<String, String> env) {
        if (args.isEmpty()) {
            return Optional.empty();
        }
        String command = args.get(0);
        Map<String, String> names = switch (command) {
            case "run", "acquire" -> merged(LOCK, SERVER);
            case "heartbeat", "release" -> SERVER;
            case "status" -> merged(STATUS, SERVER);
            case "revoke" -> merged(REVOKE, SERVER);
            default -> null;
        };
        if (names == null) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        List<String> positionals = new ArrayList<>();
        if (!scan(args.subList(1, args.size()), names, command.equals("run"), values, positionals)) {
            return Optional.empty();
        }
        values.putIfAbsent("server", BrokerArgs.defaultServer(env));
        if (env.get(BrokerArgs.CA_FILE_ENV) != null) {
            values.putIfAbsent("caFile", env.get(BrokerArgs.CA_FILE_ENV));
        }
        try {
            return build(command, values, positionals);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a value that does not convert: picocli says why
        }
    }

    /**
     * Sorts {@code args} into option values (by key) and positionals; false when they are outside the
     * subset. After {@code --}, or after the first positional when {@code stopAtPositional}, all are positional.
     */
    private static boolean scan(
            List<String> args,
            Map<String, String> names,
            boolean stopAtPositional,
            Map<String, String> values,
            List<String> positionals) {
        boolean endOfOptions = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (endOfOptions) {
                positionals.add(arg);
            } else if (arg.equals("--")) {
                endOfOptions = true;
            } else if (arg.startsWith("-")) {
                int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
                String key = names.get(eq < 0 ? arg : arg.substring(0, eq));
                if (key == null || values.containsKey(key)) {
                    return false;
                }
                String value;
                if (FLAGS.contains(key)) {
                    if (eq >= 0) {
                        return false;
                    }
                    value = "true";
                } else if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    return false;
                }
                if (value.isEmpty() || value.startsWith("-")) {
                    return false;
                }
                values.put(key, value);
            } else if (arg.isEmpty()) {
                return false;
            } else {
                positionals.add(arg);
                endOfOptions = stopAtPositional;
            }
        }
        return true;
    }

    private static Optional<ClientCall> build(String command, Map<String, String> values, List<String> positionals) {
        BrokerArgs broker = new BrokerArgs(values.get("server"), values.get("caFile"));
        int count = positionals.size();
        String first = count == 0 ? null : positionals.get(0);
        return switch (command) {
            case "run" ->
                count == 0 || !values.containsKey("namespace")
                        ? Optional.empty()
                        : Optional.of(new ClientCall.Run(
                                lock(values), broker, values.containsKey("quiet"), List.copyOf(positionals)));
            case "acquire" ->
                count != 0 || !values.containsKey("namespace")
                        ? Optional.empty()
                        : Optional.of(new ClientCall.Acquire(lock(values), broker, values.containsKey("quiet")));
            case "heartbeat" -> count == 1 ? Optional.of(new ClientCall.Heartbeat(broker, first)) : Optional.empty();
            case "release" -> count == 1 ? Optional.of(new ClientCall.Release(broker, first)) : Optional.empty();
            case "status" ->
                count <= 1
                        ? Optional.of(new ClientCall.Status(broker, values.containsKey("json"), first))
                        : Optional.empty();
            default -> revoke(broker, values, count <= 1 ? first : null, count <= 1);
        };
    }

    private static Optional<ClientCall> revoke(
            BrokerArgs broker, Map<String, String> values, String leaseId, boolean positionalsFit) {
        String token = values.get("fencingToken");
        if (!positionalsFit
                || !values.containsKey("reason")
                || (token != null && !DECIMAL.matcher(token).matches())) {
            return Optional.empty();
        }
        return Optional.of(new ClientCall.Revoke(
                broker,
                leaseId,
                values.get("namespace"),
                values.get("shard"),
                token == null ? null : Long.valueOf(token),
                values.get("reason")));
    }

    private static LockArgs lock(Map<String, String> values) {
        return new LockArgs(
                values.get("namespace"),
                values.get("shard"),
                values.containsKey("shared"),
                duration(values, "wait", LockArgs.DEFAULT_WAIT),
                duration(values, "ttl", LockArgs.DEFAULT_TTL),
                values.get("holder"));
    }

    private static Duration duration(Map<String, String> values, String key, String fallback) {
        return Durations.parse(values.getOrDefault(key, fallback));
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    /** As picocli writes to a stream: a UTF-8 or platform-charset writer that flushes at each line. */
    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), true);
    }
}
