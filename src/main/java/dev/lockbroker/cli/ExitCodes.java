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
    /** EX_TEMPFAIL: tried once ({@code --wait 0}) and the lock was held: try again later. */
    public static final int BUSY = 75;
    /** Not granted before the wait deadline (76 is sysexits' EX_PROTOCOL; here it means timed out). */
    public static final int TIMED_OUT = 76;
    /**
     * The lease ended while held: expired, revoked or unconfirmed; {@code run}'s command was stopped
     * (74 is sysexits' EX_IOERR: most often the broker could not be reached in time).
     */
    public static final int LEASE_LOST = 74;
    /** EX_OSERR: the watchdog of {@code run} could not be set up (temporary directory, mkfifo). */
    public static final int OS_ERROR = 71;
    /** The command to run is not executable. */
    public static final int NOT_EXECUTABLE = 126;
    /** The command to run was not found. */
    public static final int NOT_FOUND = 127;

    static final String HEADING = "%nExit codes:%n";
    static final String L_OK = "0:Done.";
    static final String L_OTHER = "1:Any other failure (refused request, bad token).";
    static final String L_USAGE = "64:Bad arguments (usage printed).";
    static final String L_UNAVAILABLE = "69:The broker is unreachable or unavailable.";
    static final String L_BUSY = "75:Busy: tried once (--wait 0) and the lock was held.";
    static final String L_TIMED_OUT = "76:Timed out: not granted before --wait ran out.";
    static final String L_LEASE_LOST = "74:The lease was lost (expired, revoked, or not confirmed in time).";

    private ExitCodes() {}

    /**
     * The exit code for a failure of a client command. An instanceof chain, not a switch on types,
     * which spins a class at run time: milliseconds of a short {@code run -w 0}.
     */
    public static int forFailure(Throwable failure) {
        if (failure instanceof LockTimeoutException e) {
            return e.reason().equals("busy") ? BUSY : TIMED_OUT;
        } else if (failure instanceof LeaseLostException) {
            return LEASE_LOST;
        } else if (failure instanceof BrokerUnavailableException) {
            return UNAVAILABLE;
        } else if (failure instanceof BrokerRejectedException e && e.status() == 410) {
            return LEASE_LOST;
        } else if (failure instanceof IllegalArgumentException) {
            return USAGE;
        }
        return OTHER;
    }

    /** 128 plus the signal number, as shells report a death by signal. */
    public static int forSignal(int signalNumber) {
        return 128 + signalNumber;
    }
}
