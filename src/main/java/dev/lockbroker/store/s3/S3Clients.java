package dev.lockbroker.store.s3;

import java.time.Duration;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Builds the one {@link S3Client} an {@link S3LeaseLog} uses: plain request bodies, bounded retries
 * with backoff, and a timeout on every call and on every attempt.
 */
final class S3Clients {
    /** Attempts per call, the first included. */
    static final int MAX_ATTEMPTS = 4;

    static final Duration BACKOFF_BASE = Duration.ofMillis(25);
    static final Duration BACKOFF_MAX = Duration.ofMillis(500);

    private S3Clients() {}

    /** A client on {@code http}, which the caller closes after it (the create-only PUT shares it). */
    static S3Client create(S3Settings settings, AwsCredentialsProvider credentials, SdkHttpClient http) {
        return builder(settings, credentials).httpClient(http).build();
    }

    /** The HTTP client: attempt-long connect and socket timeouts. */
    static SdkHttpClient http(S3Settings settings) {
        Duration attemptTimeout = attemptTimeout(settings.callTimeout());
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(attemptTimeout)
                .socketTimeout(attemptTimeout)
                .build();
    }

    private static S3ClientBuilder builder(S3Settings settings, AwsCredentialsProvider credentials) {
        Duration attemptTimeout = attemptTimeout(settings.callTimeout());
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // Plain bodies: a default PUT is aws-chunked (signed chunks over http, a trailing
                // checksum), which a store may answer (412) before reading, leaving a connection the
                // pool reuses and then finds dead. A record is a few KB: hash it whole, send it whole.
                .serviceConfiguration(
                        S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(settings.callTimeout())
                        .apiCallAttemptTimeout(attemptTimeout)
                        .retryStrategy(retryStrategy())
                        .addExecutionInterceptor(new NoExpectContinue()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder;
    }

    /**
     * AWS's standard strategy (I/O errors, throttling, 5xx: S3Proxy's filesystem store answers 500
     * to some racing create-only PUTs) plus 409 ConditionalRequestConflict. AWS answers 409 when a
     * conditional write races another write of the same key and asks the caller to retry: the retry
     * settles the race as 200 (ours won) or 412 (theirs did). Reading 409 as "lost" could report a
     * lost race for a number nobody has written yet.
     */
    static RetryStrategy retryStrategy() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(MAX_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                .retryOnException(isConditionalRequestConflict())
                .build();
    }

    /** A third of the call budget, so a hung attempt leaves room for retries. */
    static Duration attemptTimeout(Duration callTimeout) {
        return callTimeout.dividedBy(3);
    }

    private static Predicate<Throwable> isConditionalRequestConflict() {
        return t -> t instanceof S3Exception e
                && e.statusCode() == 409
                && e.awsErrorDetails() != null
                && "ConditionalRequestConflict".equals(e.awsErrorDetails().errorCode());
    }
}
