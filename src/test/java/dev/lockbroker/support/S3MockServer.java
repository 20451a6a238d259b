package dev.lockbroker.support;

import dev.lockbroker.store.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Adobe's S3Mock 5.2.0 as its own process (the exec jar that the build copies to {@code
 * target/s3mock}), with {@link #BUCKET} created and plain HTTP on a free port; its HTTPS connector
 * binds 127.0.0.1, the HTTP one cannot be narrowed and listens on every interface. It honours
 * {@code If-None-Match: *} by checking, then writing: the store a start-up check must refuse.
 */
public final class S3MockServer implements S3Backend, AutoCloseable {
    public static final String BUCKET = "lockbroker-s3mock";
    private static final Path JAR = Path.of("target", "s3mock", "s3mock-exec.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;

    private S3MockServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts S3Mock with its files under {@code dir}; returns once it answers HTTP. */
    public static S3MockServer start(Path dir) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the Maven build copies it (process-test-resources)");
        }
        int port = freePort();
        Process process = new ProcessBuilder(List.of(
                        JavaProcess.javaBinary(),
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-jar",
                        JAR.toString(),
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--http.port=" + port,
                        "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                        "--com.adobe.testing.s3mock.store.root=" + dir.resolve("root")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3mock.out").toFile())
                .start();
        S3MockServer server = new S3MockServer(process, port);
        try {
            server.awaitAnswer();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "S3Mock";
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
        return S3ProxyServer.CREDENTIALS; // S3Mock checks no signature
    }

    /** Path-style, a 30 s call budget: a fresh S3Mock JVM on a loaded machine answers its first PUTs slowly. */
    @Override
    public S3Settings settings() {
        return S3Settings.forBucket(BUCKET)
                .withEndpoint(endpoint())
                .withPathStyle(true)
                .withCallTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited " + process.exitValue() + " during start-up");
            }
            try {
                HttpURLConnection connection = (HttpURLConnection)
                        endpoint().resolve("/" + BUCKET).toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setRequestMethod("HEAD");
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("S3Mock did not answer within " + START_TIMEOUT);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
