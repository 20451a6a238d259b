package dev.lockbroker.cli;

import java.util.Map;

/**
 * The watchdog cases in the mode used when a terminal is attached: the command stays in the wrapper's
 * process group (so it can read the terminal) and is stopped with its descendants as ps lists them.
 */
class RunWatchdogTreeModeProcessTest extends RunWatchdogProcessTest {
    @Override
    Map<String, String> environment() {
        return Map.of(Watchdog.MODE_ENV, "tree");
    }
}
