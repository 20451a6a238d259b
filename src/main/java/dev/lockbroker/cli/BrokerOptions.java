package dev.lockbroker.cli;

import dev.lockbroker.client.LockClient;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the broker is ({@code --server} or LOCKBROKER_URL), its bearer token (LOCKBROKER_TOKEN) and,
 * for https, the CA certificate to trust ({@code --ca-file} or LOCKBROKER_CA_FILE).
 */
public final class BrokerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "${env:LOCKBROKER_URL:-http://localhost:8080}",
            description =
                    "Broker URL (default: $LOCKBROKER_URL, else ${DEFAULT-VALUE}). LOCKBROKER_TOKEN, when set, is sent as a bearer token.")
    String server;

    @Option(
            names = "--ca-file",
            paramLabel = "PEM",
            defaultValue = "${env:LOCKBROKER_CA_FILE}",
            description = "For an https broker: trust the CA certificate(s) in this PEM file instead of the"
                    + " JDK's trust store (env LOCKBROKER_CA_FILE).")
    Path caFile;

    /** A client of the chosen broker; a malformed URL or an unreadable CA file is a usage error. */
    LockClient client() {
        try {
            return LockClient.builder(serverUrl())
                    .bearerToken(System.getenv("LOCKBROKER_TOKEN"))
                    .caFile(caFile == null || caFile.toString().isEmpty() ? null : caFile)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--ca-file: " + e.getMessage());
        }
    }

    URI serverUrl() {
        try {
            URI url = new URI(server);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return url;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--server: '" + server + "' is not an http(s) URL");
        }
    }
}
