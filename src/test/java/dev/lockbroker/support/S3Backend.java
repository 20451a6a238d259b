package dev.lockbroker.support;

import dev.lockbroker.store.s3.S3LeaseLog;
import dev.lockbroker.store.s3.S3Settings;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** A real S3 server a test runs against over HTTP on 127.0.0.1: S3Proxy in-process or Ceph RGW. */
public interface S3Backend {
    /** The server's name in test output. */
    String name();

    URI endpoint();

    /** A bucket that exists on this server. */
    String bucket();

    /** Credentials the server accepts. */
    AwsCredentialsProvider credentials();

    /** The credentials as the AWS environment variables a broker process reads. */
    default java.util.Map<String, String> credentialEnvironment() {
        var resolved = credentials().resolveCredentials();
        return java.util.Map.of(
                "AWS_ACCESS_KEY_ID", resolved.accessKeyId(), "AWS_SECRET_ACCESS_KEY", resolved.secretAccessKey());
    }

    /** Settings for {@link #bucket()} on this server: path-style, no prefix. */
    S3Settings settings();

    /** A lease log on {@link #bucket()}, its records under {@code prefix} (may be empty). */
    default S3LeaseLog openLog(String prefix) {
        return S3LeaseLog.open(settings().withPrefix(prefix), credentials());
    }
}
