package dev.lockbroker.cli;

import dev.lockbroker.client.BrokerRejectedException;
import dev.lockbroker.client.BrokerUnavailableException;
import dev.lockbroker.client.LeaseLostException;
import dev.lockbroker.client.LockTimeoutException;

/** The exit codes of the client commands (after sysexits.h) and the failures they stand for. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int OTHER = 1;
    /** EX_USAGE: bad arguments. */
    public static final int USAGE = 64;
    /** EX_UNAVAILABLE: the broker cannot be reached or cannot serve. */
    public static final int UNAVAILABLE = 69;
    /** EX_TEMPFAIL: not granted in time, lock busy, or lease lost. */
    public static final int TEMPFAIL = 75;
    /** The command to run is not executable. */
    public static final int NOT_EXECUTABLE = 126;
    /** The command to run was not found. */
    public static final int NOT_FOUND = 127;

    static final String HEADING = "%nExit codes:%n";
    static final String L_OK = "0:Done.";
    static final String L_OTHER = "1:Any other failure (refused request, bad token).";
    static final String L_USAGE = "64:Bad arguments (usage printed).";
    static final String L_UNAVAILABLE = "69:The broker is unreachable or unavailable.";
    static final String L_TEMPFAIL = "75:Not granted before the deadline, busy, or the lease was lost.";

    private ExitCodes() {}

    /** The exit code for a failure of a client command. */
    public static int forFailure(Throwable failure) {
        return switch (failure) {
            case LockTimeoutException e -> TEMPFAIL;
            case LeaseLostException e -> TEMPFAIL;
            case BrokerUnavailableException e -> UNAVAILABLE;
            case BrokerRejectedException e when e.status() == 410 -> TEMPFAIL;
            case IllegalArgumentException e -> USAGE;
            default -> OTHER;
        };
    }

    /** 128 plus the signal number, as shells report a death by signal. */
    public static int forSignal(int signalNumber) {
        return 128 + signalNumber;
    }
}
