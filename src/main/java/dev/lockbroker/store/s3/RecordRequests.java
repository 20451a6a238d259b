package dev.lockbroker.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The two requests on a grant's path — the create-only PUT of a record ({@code If-None-Match: *})
 * and the GET of an object — signed with the SDK's SigV4 signer and sent on the SDK's HTTP client,
 * without the S3 client's request pipeline: a profile of the broker on S3 put 43 % of its CPU under
 * {@code S3Client.putObject}, and at 200 busy namespaces 35 % under {@code S3Client.getObject}, most
 * of it interceptors, endpoint rules, marshalling and error parsing that a fixed request for an
 * object of a few hundred bytes does not need.
 *
 * <p>Both retry as {@link S3Clients#retryStrategy()} does — I/O errors, 5xx, throttling and, for the
 * PUT, 409 {@code ConditionalRequestConflict}, {@link S3Clients#MAX_ATTEMPTS} attempts with jittered
 * exponential backoff — so a PUT whose answer was lost is settled by the next attempt: 200 (ours) or
 * 412, which {@link S3LeaseLog#append} then reads back. Thread-safe.
 */
final class RecordRequests {
    private static final long BACKOFF_BASE_MILLIS = S3Clients.BACKOFF_BASE.toMillis();
    private static final long BACKOFF_MAX_MILLIS = S3Clients.BACKOFF_MAX.toMillis();
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int CONFLICT = 409;

    /** What the store answered a create. */
    enum Answer {
        CREATED,
        EXISTS
    }

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    /** The URL of the bucket's root, ending in '/': a key, URL-encoded but for its slashes, follows. */
    private final String bucketUrl;

    private final long callTimeoutNanos;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param anyKeyUrl the URL the S3 client's endpoint rules give {@code key} (path-style or not),
     *     from which every other key's URL is made
     */
    RecordRequests(
            SdkHttpClient http, AwsCredentialsProvider credentials, S3Settings settings, URI anyKeyUrl, String key) {
        this.http = http;
        this.credentials = credentials;
        this.region = settings.region();
        this.callTimeoutNanos = settings.callTimeout().toNanos();
        String url = anyKeyUrl.toString();
        String encodedKey = SdkHttpUtils.urlEncodeIgnoreSlashes(key);
        if (!url.endsWith(encodedKey)) {
            throw new IllegalArgumentException("the URL " + url + " does not end in its key " + key);
        }
        this.bucketUrl = url.substring(0, url.length() - encodedKey.length());
    }

    /** @throws UncheckedIOException when no attempt got an answer that decides the create */
    Answer create(String key, byte[] bytes) {
        return call("PUT", key, () -> send(uri(key), bytes), (status, body) -> {
            if (status / 100 == 2) {
                return Answer.CREATED;
            }
            return status == ObjectStore.PRECONDITION_FAILED ? Answer.EXISTS : null;
        });
    }

    /**
     * The content of {@code key}, or empty when it does not exist (404).
     *
     * @throws UncheckedIOException when no attempt got a 200 or a 404
     */
    Optional<byte[]> get(String key) {
        return call("GET", key, () -> sendGet(uri(key)), (status, body) -> {
            if (status == 200) {
                return Optional.of(body);
            }
            return status == ObjectStore.NOT_FOUND ? Optional.<byte[]>empty() : null;
        });
    }

    private URI uri(String key) {
        return URI.create(bucketUrl + SdkHttpUtils.urlEncodeIgnoreSlashes(key));
    }

    /** What an answer decides: a value, or null when it decides nothing (retried if retryable). */
    private interface Decision<T> {
        @Nullable
        T of(int status, byte[] body);
    }

    private interface Attempt {
        HttpExecuteResponse send() throws IOException;
    }

    private <T> T call(String method, String key, Attempt attempt, Decision<T> decision) {
        String failure = "no attempt";
        long start = System.nanoTime();
        for (int n = 1; n <= S3Clients.MAX_ATTEMPTS; n++) {
            if (n > 1 && !backOff(n, start)) {
                failure += "; no time left for another attempt";
                break;
            }
            try {
                HttpExecuteResponse response = attempt.send();
                int status = response.httpResponse().statusCode();
                byte[] body = drain(response);
                T decided = decision.of(status, body);
                if (decided != null) {
                    return decided;
                }
                String text = new String(body, 0, Math.min(body.length, 64 * 1024), StandardCharsets.UTF_8);
                failure = "HTTP " + status + " " + firstLine(text);
                if (!isRetryable(status, text)) {
                    break;
                }
            } catch (IOException e) {
                failure = e.toString();
            }
        }
        throw new UncheckedIOException(new IOException(method + " " + key + " failed: " + failure));
    }

    private HttpExecuteResponse send(URI uri, byte[] bytes) throws IOException {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.PUT)
                .uri(uri)
                .putHeader("If-None-Match", "*")
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .build();
        ContentStreamProvider payload = ContentStreamProvider.fromByteArrayUnsafe(bytes);
        return http.prepareRequest(HttpExecuteRequest.builder()
                        .request(sign(request, payload))
                        .contentStreamProvider(payload)
                        .build())
                .call();
    }

    private HttpExecuteResponse sendGet(URI uri) throws IOException {
        SdkHttpRequest request =
                SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build();
        return http.prepareRequest(HttpExecuteRequest.builder()
                        .request(sign(request, null))
                        .build())
                .call();
    }

    /** SigV4 as the S3 client signs: payload hashed whole (none: the empty payload's hash), no chunks. */
    private SdkHttpRequest sign(SdkHttpRequest request, @Nullable ContentStreamProvider payload) {
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request)
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false));
        return signed.request();
    }

    /** Reads the answer's body whole, so the connection goes back to the pool. */
    private static byte[] drain(HttpExecuteResponse response) throws IOException {
        if (response.responseBody().isEmpty()) {
            return new byte[0];
        }
        try (InputStream body = response.responseBody().get()) {
            return body.readAllBytes();
        }
    }

    /** The standard strategy's cases, plus AWS's 409 for a conditional write racing another. */
    private static boolean isRetryable(int status, String body) {
        return status / 100 == 5
                || status == TOO_MANY_REQUESTS
                || (status == CONFLICT && body.contains("<Code>ConditionalRequestConflict</Code>"));
    }

    /** Sleeps before another attempt; false when that would leave no attempt time within the call timeout. */
    private boolean backOff(int attempt, long startNanos) {
        long cap = Math.min(BACKOFF_MAX_MILLIS, BACKOFF_BASE_MILLIS << (attempt - 2));
        long sleepMillis = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        long left = callTimeoutNanos - (System.nanoTime() - startNanos) - TimeUnit.MILLISECONDS.toNanos(sleepMillis);
        if (left < callTimeoutNanos / S3Clients.MAX_ATTEMPTS) {
            return false;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(sleepMillis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted between attempts", e));
        }
    }

    private static String firstLine(String body) {
        String line = body.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
