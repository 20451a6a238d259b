package dev.lockbroker.core;

import org.jspecify.annotations.Nullable;

/** Who holds or waits for a lease, as the client describes itself; shown to operators, never trusted. */
public record Holder(
        String name, @Nullable String host, @Nullable Long pid) {
    public Holder {
        if (name == null || name.isBlank() || name.length() > 256) {
            throw new InvalidRequestException("holder.name is required and at most 256 characters");
        }
        if (host != null && host.length() > 256) {
            throw new InvalidRequestException("holder.host is at most 256 characters");
        }
        if (pid != null && pid < 0) {
            throw new InvalidRequestException("holder.pid must not be negative");
        }
    }
}
