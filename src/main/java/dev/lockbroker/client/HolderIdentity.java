package dev.lockbroker.client;

import dev.lockbroker.core.Holder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How this process describes itself to the broker: user name, host name and pid. */
public final class HolderIdentity {
    private HolderIdentity() {}

    /** This process, named after its user. */
    public static Holder current() {
        return named(System.getProperty("user.name", "unknown"));
    }

    /** This process under {@code name}. */
    public static Holder named(String name) {
        return new Holder(name, hostName(), ProcessHandle.current().pid());
    }

    /** The host name without a DNS lookup, which can stall start-up. */
    static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        try {
            String fromFile = Files.readString(Path.of("/etc/hostname")).strip();
            return fromFile.isEmpty() ? null : fromFile;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
