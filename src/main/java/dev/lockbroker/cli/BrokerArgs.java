package dev.lockbroker.cli;

import dev.lockbroker.client.LockClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the broker is, as given by {@code --server} or LOCKBROKER_URL, and the CA file to trust for
 * https ({@code --ca-file} or LOCKBROKER_CA_FILE; null or empty: the JDK's trust store); the token
 * comes from LOCKBROKER_TOKEN.
 */
record BrokerArgs(String server, String caFile) {
    static final String URL_ENV = "LOCKBROKER_URL";
    static final String CA_FILE_ENV = "LOCKBROKER_CA_FILE";
    static final String DEFAULT_URL = "http://localhost:8080";

    /** The URL when {@code --server} is not given: LOCKBROKER_URL when set (even empty), else the default. */
    static String defaultServer(Map<String, String> env) {
        String fromEnv = env.get(URL_ENV);
        return fromEnv == null ? DEFAULT_URL : fromEnv;
    }

    /**
     * A client of the chosen broker; a malformed URL or an unreadable CA file is a usage error. Plain
     * http takes the short-lived process's transport; https the JDK's client, which does TLS.
     */
    LockClient client() throws UsageException {
        URI url = serverUrl();
        String token = System.getenv("LOCKBROKER_TOKEN");
        boolean withCa = caFile != null && !caFile.isEmpty();
        if (!withCa && "http".equals(url.getScheme())) {
            return LockClient.createForShortLivedProcess(url, Optional.ofNullable(token));
        }
        try {
            return LockClient.builder(url)
                    .bearerToken(token)
                    .caFile(withCa ? Path.of(caFile) : null)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--ca-file: " + e.getMessage());
        }
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
