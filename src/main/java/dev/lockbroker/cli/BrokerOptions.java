package dev.lockbroker.cli;

import picocli.CommandLine.Option;

/** Where the broker is ({@code --server} or LOCKBROKER_URL) and its bearer token (LOCKBROKER_TOKEN). */
public final class BrokerOptions {
    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "${env:LOCKBROKER_URL:-http://localhost:8080}",
            description =
                    "Broker URL (default: $LOCKBROKER_URL, else ${DEFAULT-VALUE}). LOCKBROKER_TOKEN, when set, is sent as a bearer token.")
    String server;

    /** This option as a plain value. */
    BrokerArgs args() {
        return new BrokerArgs(server);
    }
}
