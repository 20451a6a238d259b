package dev.lockbroker.app;

/** Process exit codes, from BSD sysexits. */
final class ExitCodes {
    static final int USAGE = 64;
    static final int UNAVAILABLE = 69;

    private ExitCodes() {}
}
