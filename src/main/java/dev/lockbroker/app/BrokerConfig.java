package dev.lockbroker.app;

import dev.lockbroker.http.TlsSettings;
import java.nio.file.Path;

/** The broker's configuration, validated on construction and immutable after. */
record BrokerConfig(
        String host,
        int port,
        Path dataDir,
        int longPollSeconds,
        int ticketTtlSeconds,
        String token,
        Path tokensFile,
        int headerTimeoutSeconds,
        Limits limits,
        int metricsMaxNamespaces,
        TlsSettings tls,
        S3 s3,
        Cluster cluster) {

    /**
     * Membership of a group of brokers on one bucket; absent for a broker alone.
     *
     * @param advertiseUrl where peers send clients; null means this broker's own address and port
     */
    record Cluster(String brokerId, String advertiseUrl, int ownershipTtlSeconds) {
        Cluster {
            require(brokerId.matches("[A-Za-z0-9._-]{1,64}"), "--broker-id must be 1-64 of [A-Za-z0-9._-]");
            require(
                    advertiseUrl == null || advertiseUrl.matches("https?://[^\\s/]+(/.*)?"),
                    "--advertise-url must be an http(s) URL");
            require(ownershipTtlSeconds >= 1 && ownershipTtlSeconds <= 300, "--ownership-ttl-seconds must be 1-300");
        }
    }

    /** The memory and rate limits; each refusal is a 429. */
    record Limits(
            int maxQueuedPerNamespace,
            int maxQueuedPerToken,
            int maxTickets,
            int maxNamespaces,
            int requestsPerSecondPerToken) {
        Limits {
            require(maxQueuedPerNamespace >= 1, "--max-queued-per-namespace must be at least 1");
            require(maxQueuedPerToken >= 1, "--max-queued-per-token must be at least 1");
            require(maxTickets >= 1, "--max-tickets must be at least 1");
            require(maxNamespaces >= 1, "--max-namespaces must be at least 1");
            require(requestsPerSecondPerToken >= 0, "--requests-per-second-per-token must not be negative");
        }
    }

    /** The S3 store's settings; absent means the on-disk store. */
    record S3(
            String bucket,
            String endpoint,
            String region,
            String prefix,
            boolean pathStyle,
            boolean createBucket,
            long callTimeoutMillis) {
        S3 {
            require(
                    callTimeoutMillis >= 100 && callTimeoutMillis <= 120_000,
                    "--s3-call-timeout-millis must be 100-120000");
        }
    }

    BrokerConfig {
        require(port >= 0 && port <= 65535, "--port must be 0-65535");
        require(longPollSeconds >= 1 && longPollSeconds <= 30, "--long-poll-seconds must be 1-30");
        require(ticketTtlSeconds >= 1 && ticketTtlSeconds <= 3600, "--ticket-ttl-seconds must be 1-3600");
        require(headerTimeoutSeconds >= 1 && headerTimeoutSeconds <= 300, "--header-timeout-seconds must be 1-300");
        require(metricsMaxNamespaces >= 0, "--metrics-max-namespaces must not be negative");
        require(token == null || !token.isBlank(), "--token must not be blank");
        require(
                cluster == null || s3 != null,
                "--broker-id needs the S3 store (--s3-bucket): a group shares one bucket");
        if (token != null && token.isEmpty()) {
            token = null;
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
