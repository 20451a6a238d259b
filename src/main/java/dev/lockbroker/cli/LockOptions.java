package dev.lockbroker.cli;

import dev.lockbroker.client.HolderIdentity;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockRequest;
import dev.lockbroker.core.InvalidRequestException;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.Mode;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What to lock and how: namespace, shard, mode, wait and TTL. */
public final class LockOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

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
            defaultValue = "10m",
            converter = Durations.class,
            description = "How long to wait in the queue, 0 to try once, at most 1h (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = Durations.class,
            description =
                    "Lease TTL, whole seconds from 1s to 1h (default: ${DEFAULT-VALUE}); heartbeats come every TTL/3.")
    Duration ttl;

    @Option(
            names = "--holder",
            paramLabel = "NAME",
            description = "Name shown to other waiters and in status (default: the user name).")
    String holderName;

    /** The request these options describe; a usage error when any is out of range. */
    LockRequest request() {
        try {
            if (wait.isNegative() || wait.compareTo(LockClient.MAX_WAIT) > 0) {
                throw new IllegalArgumentException("--wait must be from 0 to 1h, not " + Durations.format(wait));
            }
            var holder = holderName == null ? HolderIdentity.current() : HolderIdentity.named(holderName);
            return new LockRequest(new LockKey(namespace, shard), shared ? Mode.SHARED : Mode.EXCLUSIVE, ttl, holder);
        } catch (IllegalArgumentException | InvalidRequestException e) {
            String message = e.getMessage().startsWith("ttl ") ? "--" + e.getMessage() : e.getMessage();
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** {@code ns} or {@code ns/shard}, for messages. */
    String keyText() {
        return shard == null ? namespace : namespace + "/" + shard;
    }
}
