package dev.lockbroker.support;

import dev.lockbroker.store.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3Proxy on 127.0.0.1 keeping objects as files under one directory, for tests and
 * benchmarks. It accepts any credentials. {@link #stop} and {@link #restart} keep the port and the
 * data, so a test can take the store away and bring it back under a live client.
 *
 * <p>Not thread-safe: one test thread starts, stops and restarts it.
 */
public final class S3ProxyServer implements S3Backend, AutoCloseable {
    /** The bucket {@link #settings()} names; {@link #start} creates it. */
    public static final String BUCKET = "lockbroker-test";

    /** Credentials the proxy accepts (it accepts any); the SDK insists on some. */
    public static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key"));

    private final Path dataDir;
    private int port;
    private S3Proxy proxy;

    private S3ProxyServer(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Starts a proxy on a free port over {@code dataDir}, with {@link #BUCKET} created. */
    public static S3ProxyServer start(Path dataDir) {
        S3ProxyServer server = new S3ProxyServer(dataDir);
        createDirectories(dataDir.resolve(BUCKET)); // a filesystem-store bucket is a directory
        server.launch(0);
        return server;
    }

    @Override
    public String name() {
        return "S3Proxy";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public String bucket() {
        return BUCKET;
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return CREDENTIALS;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Settings for {@link #BUCKET} on this proxy: path-style, no prefix, a 2 s call timeout. */
    @Override
    public S3Settings settings() {
        return settings(BUCKET);
    }

    /** Settings for {@code bucket} on this proxy, which need not exist. */
    public S3Settings settings(String bucket) {
        return S3Settings.forBucket(bucket)
                .withEndpoint(endpoint())
                .withPathStyle(true)
                .withCallTimeout(Duration.ofSeconds(2));
    }

    /** A plain S3 client of this proxy, for what a test does behind the lease log's back (list, delete). */
    public S3Client adminClient() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    /** Stops answering: the port refuses connections until {@link #restart}. */
    public void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            proxy = null;
        }
    }

    /** Starts again on the same port over the same data. */
    public void restart() {
        stop();
        launch(port);
    }

    @Override
    public void close() {
        stop();
    }

    private void launch(int requestedPort) {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dataDir.toString());
        S3Proxy started = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .endpoint(URI.create("http://127.0.0.1:" + requestedPort))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .stopTimeout(0) // no graceful wait: idle keep-alive clients would hold it up
                .build();
        try {
            started.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on port " + requestedPort, e);
        }
        awaitStarted(started);
        proxy = started;
        port = started.getPort();
    }

    private static void awaitStarted(S3Proxy started) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"STARTED".equals(started.getState())) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("S3Proxy still " + started.getState() + " after 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
