package dev.lockbroker.cli;

import dev.lockbroker.client.LockClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/** Where the broker is, as given by {@code --server} or LOCKBROKER_URL; the token comes from LOCKBROKER_TOKEN. */
record BrokerArgs(String server) {
    static final String URL_ENV = "LOCKBROKER_URL";
    static final String DEFAULT_URL = "http://localhost:8080";

    /** The URL when {@code --server} is not given: LOCKBROKER_URL when set (even empty), else the default. */
    static String defaultServer(Map<String, String> env) {
        String fromEnv = env.get(URL_ENV);
        return fromEnv == null ? DEFAULT_URL : fromEnv;
    }

    /** A client of the chosen broker; a malformed URL is a usage error. */
    LockClient client() throws UsageException {
        return LockClient.createForShortLivedProcess(
                serverUrl(), Optional.ofNullable(System.getenv("LOCKBROKER_TOKEN")));
    }

    URI serverUrl() throws UsageException {
        try {
            URI url = new URI(server);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return url;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new UsageException("--server: '" + server + "' is not an http(s) URL");
        }
    }
}
