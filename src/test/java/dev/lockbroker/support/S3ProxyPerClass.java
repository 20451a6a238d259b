package dev.lockbroker.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process S3Proxy for a test class, over a directory of its own, started before its first
 * test and closed (directory deleted) after its last: {@code @RegisterExtension static final
 * S3ProxyPerClass s3 = new S3ProxyPerClass();}, then {@code s3.server()}. Registered extensions run
 * before the class's own {@code @BeforeAll} methods, which may use the server.
 */
public final class S3ProxyPerClass implements BeforeAllCallback, AfterAllCallback {
    private Path dataDir;
    private S3ProxyServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("s3proxy-" + context.getDisplayName() + "-");
        server = S3ProxyServer.start(dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    public S3ProxyServer server() {
        return server;
    }
}
