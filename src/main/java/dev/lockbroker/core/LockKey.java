package dev.lockbroker.core;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A namespace plus an optional shard. A key without a shard is the whole namespace and overlaps every
 * shard in it; two different shards never overlap.
 */
public record LockKey(String namespace, @Nullable String shard) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public LockKey {
        validateName("namespace", namespace);
        if (shard != null) {
            validateName("shard", shard);
        }
    }

    public static LockKey whole(String namespace) {
        return new LockKey(namespace, null);
    }

    public static void validateName(String what, @Nullable String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new InvalidRequestException(what + " must be 1-128 characters of [A-Za-z0-9._-] and not '.' or '..'");
        }
    }

    public boolean isWholeNamespace() {
        return shard == null;
    }

    public boolean overlaps(LockKey other) {
        return namespace.equals(other.namespace) && (shard == null || other.shard == null || shard.equals(other.shard));
    }

    @Override
    public String toString() {
        return shard == null ? namespace : namespace + "/" + shard;
    }

    /** Whether a lock on this key in {@code mode} must wait for one on {@code other} in {@code otherMode}. */
    public boolean conflictsWith(Mode mode, LockKey other, Mode otherMode) {
        return overlaps(other) && !mode.isCompatibleWith(otherMode);
    }
}
