package dev.lockbroker.cli;

import picocli.CommandLine.Option;

/**
 * Where the broker is ({@code --server} or LOCKBROKER_URL), its bearer token (LOCKBROKER_TOKEN) and,
 * for https, the CA certificate to trust ({@code --ca-file} or LOCKBROKER_CA_FILE).
 */
public final class BrokerOptions {
    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "${env:" + BrokerArgs.URL_ENV + ":-" + BrokerArgs.DEFAULT_URL + "}",
            description =
                    "Broker URL (default: $LOCKBROKER_URL, else ${DEFAULT-VALUE}). LOCKBROKER_TOKEN, when set, is sent as a bearer token.")
    String server;

    @Option(
            names = "--ca-file",
            paramLabel = "PEM",
            defaultValue = "${env:" + BrokerArgs.CA_FILE_ENV + "}",
            description = "For an https broker: trust the CA certificate(s) in this PEM file instead of the"
                    + " JDK's trust store (env LOCKBROKER_CA_FILE).")
    String caFile;

    /** These options as a plain value. */
    BrokerArgs args() {
        return new BrokerArgs(server, caFile);
    }
}
