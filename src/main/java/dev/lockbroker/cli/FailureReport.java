package dev.lockbroker.cli;

import dev.lockbroker.client.BrokerUnavailableException;
import dev.lockbroker.client.LockTimeoutException;
import dev.lockbroker.core.HolderView;
import java.io.PrintWriter;

/** Writes a failed client command's message to stderr and answers its exit code. */
final class FailureReport {
    private FailureReport() {}

    static int report(PrintWriter err, Throwable failure) {
        err.println("lockbroker: " + describe(failure));
        err.flush();
        return ExitCodes.forFailure(failure);
    }

    static String describe(Throwable failure) {
        if (failure instanceof LockTimeoutException e) {
            return e.getMessage() + holdersText(e);
        } else if (failure instanceof BrokerUnavailableException e) {
            return e.getMessage().contains(e.url().toString())
                    ? e.getMessage()
                    : e.getMessage() + " (broker " + e.url() + ")";
        }
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    private static String holdersText(LockTimeoutException e) {
        if (e.holders().isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("; held by");
        String separator = " ";
        for (HolderView h : e.holders()) {
            text.append(separator)
                    .append(StatusTable.holderText(h.holder()))
                    .append(" for ")
                    .append(StatusTable.seconds(h.heldMillis()))
                    .append(" (fencing token ")
                    .append(h.token())
                    .append(')');
            separator = ", ";
        }
        return text.toString();
    }
}
