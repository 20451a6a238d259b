package dev.lockbroker.cli;

/**
 * A bad argument that a client command found before it sent anything: exit 64, with the usage of the
 * command. Thrown only before the first request, so the command can be reported as if it never ran.
 */
public final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
