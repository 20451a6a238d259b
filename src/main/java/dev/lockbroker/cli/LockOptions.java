package dev.lockbroker.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What to lock and how: namespace, shard, mode, wait and TTL. */
public final class LockOptions {
    @Option(
            names = {"-n", "--namespace"},
            required = true,
            paramLabel = "NS",
            description = "Namespace to lock: 1-128 characters of [A-Za-z0-9._-].")
    String namespace;

    @Option(
            names = {"-s", "--shard"},
            paramLabel = "SHARD",
            description = "Shard of the namespace to lock; without it the whole namespace is locked.")
    String shard;

    @Option(names = "--shared", description = "Take a shared lock, held together with other shared holders.")
    boolean shared;

    @Option(
            names = {"-w", "--wait"},
            paramLabel = "DURATION",
            defaultValue = LockArgs.DEFAULT_WAIT,
            converter = LockOptions.DurationConverter.class,
            description = "How long to wait in the queue, 0 to try once, at most 1h (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = LockArgs.DEFAULT_TTL,
            converter = LockOptions.DurationConverter.class,
            description =
                    "Lease TTL, whole seconds from 1s to 1h (default: ${DEFAULT-VALUE}); heartbeats come every TTL/3.")
    Duration ttl;

    @Option(
            names = "--holder",
            paramLabel = "NAME",
            description = "Name shown to other waiters and in status (default: the user name).")
    String holderName;

    /** These options as plain values. */
    LockArgs args() {
        return new LockArgs(namespace, shard, shared, wait, ttl, holderName);
    }

    /**
     * {@link Durations} for picocli; kept apart from it so that the fast path ({@link ClientArgs}) loads
     * no picocli class.
     */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
