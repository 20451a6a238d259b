package dev.lockbroker.store.s3;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.store.LeaseLogContract;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The store contract against a real MinIO server; skipped where no Docker engine answers. */
@Testcontainers(disabledWithoutDocker = true)
class MinioLeaseLogTest extends LeaseLogContract {
    /** A MinIO release that honours If-None-Match on PutObject. */
    private static final String IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

    @Container
    static final MinIOContainer MINIO = new MinIOContainer(IMAGE);

    private String prefix;

    @BeforeEach
    void freshPrefix() {
        prefix = "contract-" + UUID.randomUUID();
    }

    @Override
    protected LeaseLog openLog() {
        S3Settings settings = S3Settings.forBucket("lockbroker-minio")
                .withEndpoint(URI.create(MINIO.getS3URL()))
                .withPathStyle(true)
                .withCreateBucket(true)
                .withPrefix(prefix)
                .withCallTimeout(Duration.ofSeconds(5));
        var credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword()));
        return S3LeaseLog.open(settings, credentials);
    }
}
