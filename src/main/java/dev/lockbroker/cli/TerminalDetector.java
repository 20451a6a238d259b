package dev.lockbroker.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is a terminal, for live progress lines. */
final class TerminalDetector {
    private TerminalDetector() {}

    /**
     * On Linux, what fd 2 links to; elsewhere {@code System.console() != null} (which looks at stdin
     * and stdout, so a heuristic). TERM=dumb is never live.
     */
    @SuppressWarnings("SystemConsoleNull") // a heuristic off Linux, as said; isTerminal() needs JDK 22
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }
}
