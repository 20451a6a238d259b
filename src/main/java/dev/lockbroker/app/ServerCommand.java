package dev.lockbroker.app;

import dev.lockbroker.cli.ExitCodes;
import dev.lockbroker.http.TlsSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockbroker server}: runs the broker until SIGTERM or SIGINT. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the lock broker. With no S3 bucket configured it keeps its lease log on local disk.",
            "",
            "Examples:",
            "  lockbroker server",
            "  lockbroker server --port 9090 --data-dir /var/lib/lockbroker",
            "  lockbroker server --s3-bucket locks --s3-endpoint http://127.0.0.1:9000 --s3-path-style"
        })
final class ServerCommand implements Callable<Integer> {
    @Option(
            names = "--host",
            defaultValue = "${env:LOCKBROKER_HOST:-0.0.0.0}",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; env LOCKBROKER_HOST).")
    String host;

    @Option(
            names = "--port",
            defaultValue = "${env:LOCKBROKER_PORT:-8080}",
            description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}; env LOCKBROKER_PORT).")
    int port;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:LOCKBROKER_DATA_DIR:-lockbroker-data}",
            description =
                    "On-disk store directory when no bucket is set (default: ${DEFAULT-VALUE}; env LOCKBROKER_DATA_DIR).")
    Path dataDir;

    @Option(
            names = "--long-poll-seconds",
            defaultValue = "${env:LOCKBROKER_LONG_POLL_SECONDS:-25}",
            description = "Longest a request is held open before answering 202 (1-30, default: ${DEFAULT-VALUE}).")
    int longPollSeconds;

    @Option(
            names = "--ticket-ttl-seconds",
            defaultValue = "${env:LOCKBROKER_TICKET_TTL_SECONDS}",
            description =
                    "How long a queued waiter keeps its place between polls (default: twice the long-poll window).")
    Integer ticketTtlSeconds;

    @Option(
            names = "--token",
            defaultValue = "${env:LOCKBROKER_TOKEN}",
            description = "Bearer token required on /v1 (env LOCKBROKER_TOKEN; default: none).")
    String token;

    @Option(
            names = "--tokens-file",
            defaultValue = "${env:LOCKBROKER_TOKENS_FILE}",
            description = "JSON file of scoped tokens (name, sha256, role, namespaces); reloaded on SIGHUP"
                    + " (env LOCKBROKER_TOKENS_FILE; default: none, the broker is open).")
    Path tokensFile;

    @Option(
            names = "--header-timeout-seconds",
            defaultValue = "${env:LOCKBROKER_HEADER_TIMEOUT_SECONDS:-10}",
            description = "A request's line and headers must arrive within this (default: ${DEFAULT-VALUE}).")
    int headerTimeoutSeconds;

    @Option(
            names = "--max-queued-per-namespace",
            defaultValue = "${env:LOCKBROKER_MAX_QUEUED_PER_NAMESPACE:-10000}",
            description = "Queued requests one namespace may hold; more get 429 (default: ${DEFAULT-VALUE}).")
    int maxQueuedPerNamespace;

    @Option(
            names = "--max-tickets",
            defaultValue = "${env:LOCKBROKER_MAX_TICKETS:-300000}",
            description = "Tickets kept in all, queued or recently ended; more get 429 (default: ${DEFAULT-VALUE}).")
    int maxTickets;

    @Option(
            names = "--max-namespaces",
            defaultValue = "${env:LOCKBROKER_MAX_NAMESPACES:-20000}",
            description =
                    "Namespaces in memory; an acquire in a new one past this gets 429 (default: ${DEFAULT-VALUE}).")
    int maxNamespaces;

    @Option(
            names = "--requests-per-second-per-token",
            defaultValue = "${env:LOCKBROKER_REQUESTS_PER_SECOND_PER_TOKEN:-1000}",
            description = "/v1 requests per second per configured token, bursts of twice that; 0 is no limit"
                    + " (default: ${DEFAULT-VALUE}).")
    int requestsPerSecondPerToken;

    @Option(
            names = "--max-queued-per-token",
            defaultValue = "${env:LOCKBROKER_MAX_QUEUED_PER_TOKEN:-10000}",
            description = "Queued requests one configured token may hold across its namespaces; more get 429"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxQueuedPerToken;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            defaultValue = "${env:LOCKBROKER_TLS_CERT}",
            description = "Serve HTTPS with this PEM certificate chain, leaf first (env LOCKBROKER_TLS_CERT);"
                    + " needs --tls-key.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "PEM",
            defaultValue = "${env:LOCKBROKER_TLS_KEY}",
            description = "The certificate's unencrypted private key: PKCS#8, PKCS#1 RSA or SEC1 EC PEM"
                    + " (env LOCKBROKER_TLS_KEY).")
    Path tlsKey;

    @Option(
            names = "--tls-keystore",
            paramLabel = "P12",
            defaultValue = "${env:LOCKBROKER_TLS_KEYSTORE}",
            description = "Serve HTTPS with the key and chain in this PKCS12 file instead of PEM files"
                    + " (env LOCKBROKER_TLS_KEYSTORE).")
    Path tlsKeystore;

    @Option(
            names = "--tls-keystore-password-env",
            paramLabel = "VAR",
            defaultValue = "LOCKBROKER_TLS_KEYSTORE_PASSWORD",
            description = "The environment variable holding the PKCS12 password, kept out of the command"
                    + " line (default: ${DEFAULT-VALUE}).")
    String tlsKeystorePasswordEnv;

    @Option(
            names = "--tls-reload-seconds",
            defaultValue = "${env:LOCKBROKER_TLS_RELOAD_SECONDS:-10}",
            description = "How often the TLS files are checked for a replacement; new connections get the new"
                    + " certificate (1-3600, default: ${DEFAULT-VALUE}).")
    int tlsReloadSeconds;

    @Option(
            names = "--metrics-max-namespaces",
            defaultValue = "${env:LOCKBROKER_METRICS_MAX_NAMESPACES:-1000}",
            description = "Namespaces labelled in metrics; the rest fold into _other (default: ${DEFAULT-VALUE}).")
    int metricsMaxNamespaces;

    @Option(
            names = "--s3-bucket",
            defaultValue = "${env:LOCKBROKER_S3_BUCKET}",
            description = "S3 bucket for the lease log; enables the S3 store (env LOCKBROKER_S3_BUCKET).")
    String s3Bucket;

    @Option(
            names = "--s3-endpoint",
            defaultValue = "${env:LOCKBROKER_S3_ENDPOINT}",
            description = "S3 endpoint URL for MinIO, R2 and others (env LOCKBROKER_S3_ENDPOINT).")
    String s3Endpoint;

    @Option(
            names = "--s3-region",
            defaultValue = "${env:LOCKBROKER_S3_REGION:-us-east-1}",
            description = "S3 region (default: ${DEFAULT-VALUE}; env LOCKBROKER_S3_REGION).")
    String s3Region;

    @Option(
            names = "--s3-prefix",
            defaultValue = "${env:LOCKBROKER_S3_PREFIX:-lockbroker}",
            description = "Key prefix in the bucket (default: ${DEFAULT-VALUE}; env LOCKBROKER_S3_PREFIX).")
    String s3Prefix;

    @Option(
            names = "--s3-path-style",
            defaultValue = "${env:LOCKBROKER_S3_PATH_STYLE:-false}",
            description = "Path-style addressing, as MinIO needs (env LOCKBROKER_S3_PATH_STYLE).")
    boolean s3PathStyle;

    @Option(
            names = "--s3-call-timeout-millis",
            defaultValue = "${env:LOCKBROKER_S3_CALL_TIMEOUT_MILLIS:-5000}",
            description = "Bound on every S3 call, retries included (default: ${DEFAULT-VALUE}).")
    long s3CallTimeoutMillis;

    @Option(
            names = "--create-bucket",
            defaultValue = "${env:LOCKBROKER_S3_CREATE_BUCKET:-false}",
            description = "Create the bucket when it is missing (env LOCKBROKER_S3_CREATE_BUCKET).")
    boolean createBucket;

    @Option(
            names = "--broker-id",
            defaultValue = "${env:LOCKBROKER_BROKER_ID}",
            description =
                    "Join a group of brokers on the bucket under this id (env LOCKBROKER_BROKER_ID; default: alone).")
    String brokerId;

    @Option(
            names = "--advertise-url",
            defaultValue = "${env:LOCKBROKER_ADVERTISE_URL}",
            description = "URL peers redirect clients to (default: http://HOST:PORT of this broker).")
    String advertiseUrl;

    @Option(
            names = "--ownership-ttl-seconds",
            defaultValue = "${env:LOCKBROKER_OWNERSHIP_TTL_SECONDS:-15}",
            description =
                    "How long a broker's ownership stands unrenewed before a peer takes over (1-300, default: ${DEFAULT-VALUE}).")
    int ownershipTtlSeconds;

    @Override
    public Integer call() {
        BrokerConfig config;
        try {
            requireKnownLogFormat(System.getenv("LOCKBROKER_LOG_FORMAT"));
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("lockbroker server: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Broker broker;
        try {
            broker = Broker.start(config);
        } catch (RuntimeException e) {
            System.err.println("lockbroker server: cannot start: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        System.out.println("lockbroker listening on " + (config.tls() == null ? "http" : "https") + "://"
                + displayHost(config.host()) + ":" + broker.port()
                + " (store: " + broker.storeDescription() + ")");
        System.out.flush();
        broker.awaitShutdown();
        return 0;
    }

    private BrokerConfig config() {
        return new BrokerConfig(
                host,
                port,
                dataDir,
                longPollSeconds,
                ticketTtlSeconds == null ? 2 * longPollSeconds : ticketTtlSeconds,
                token,
                tokensFile,
                headerTimeoutSeconds,
                new BrokerConfig.Limits(
                        maxQueuedPerNamespace, maxQueuedPerToken, maxTickets, maxNamespaces, requestsPerSecondPerToken),
                metricsMaxNamespaces,
                tls(),
                s3Bucket == null || s3Bucket.isBlank()
                        ? null
                        : new BrokerConfig.S3(
                                s3Bucket,
                                s3Endpoint,
                                s3Region,
                                s3Prefix,
                                s3PathStyle,
                                createBucket,
                                s3CallTimeoutMillis),
                brokerId == null || brokerId.isBlank()
                        ? null
                        : new BrokerConfig.Cluster(
                                brokerId,
                                advertiseUrl == null || advertiseUrl.isBlank() ? null : advertiseUrl,
                                ownershipTtlSeconds));
    }

    /** HTTPS from PEM files or a PKCS12 keystore, or null for plain HTTP. */
    private TlsSettings tls() {
        Path cert = blankToNull(tlsCert);
        Path key = blankToNull(tlsKey);
        Path keystore = blankToNull(tlsKeystore);
        if (cert == null && key == null && keystore == null) {
            return null;
        }
        if (tlsReloadSeconds < 1 || tlsReloadSeconds > 3600) {
            throw new IllegalArgumentException("--tls-reload-seconds must be 1-3600");
        }
        String password = keystore == null ? null : System.getenv(tlsKeystorePasswordEnv);
        if (keystore != null && password == null) {
            throw new IllegalArgumentException(
                    "--tls-keystore: the password variable " + tlsKeystorePasswordEnv + " is not set");
        }
        return new TlsSettings(cert, key, keystore, password, tlsReloadSeconds * 1000L);
    }

    private static Path blankToNull(Path path) {
        return path == null || path.toString().isEmpty() ? null : path;
    }

    /** logback picks its appender by this name; an unknown one would silently log nothing. */
    static void requireKnownLogFormat(String format) {
        if (format != null && !format.isEmpty() && !format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("LOCKBROKER_LOG_FORMAT must be text or json, not '" + format + "'");
        }
    }

    private static String displayHost(String host) {
        return host.equals("0.0.0.0") ? "127.0.0.1" : host;
    }
}
