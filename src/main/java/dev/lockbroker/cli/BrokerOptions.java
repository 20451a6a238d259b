package dev.lockbroker.cli;

import dev.lockbroker.client.LockClient;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the broker is ({@code --server} or LOCKBROKER_URL) and its bearer token (LOCKBROKER_TOKEN). */
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

    /** A client of the chosen broker; a malformed URL is a usage error. */
    LockClient client() {
        return LockClient.create(serverUrl(), Optional.ofNullable(System.getenv("LOCKBROKER_TOKEN")));
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
