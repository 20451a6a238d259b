package dev.lockbroker.store.s3;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where and how {@link S3LeaseLog} keeps its records: records live under {@code
 * {prefix}/v1/{namespace}/} in {@code bucket}. {@code endpoint} is null for AWS itself, or the URI
 * of an S3-compatible store; {@code callTimeout} bounds every store call, retries included.
 */
public record S3Settings(
        URI endpoint,
        String region,
        String bucket,
        String prefix,
        boolean pathStyle,
        boolean createBucket,
        Duration callTimeout) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

    /** Bucket names AWS has ever accepted, legacy us-east-1 names included; the store judges the rest. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[A-Za-z0-9._-]{3,255}");

    /** Validates; a null region or call timeout takes its default, a null prefix means none. */
    public S3Settings {
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        prefix = normalizePrefix(prefix);
        callTimeout = callTimeout == null ? DEFAULT_CALL_TIMEOUT : callTimeout;
        if (bucket == null || !BUCKET_NAME.matcher(bucket).matches()) {
            throw new IllegalArgumentException("invalid S3 bucket name: " + bucket);
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("S3 endpoint must be an absolute URI with a host: " + endpoint);
        }
        if (callTimeout.isNegative() || callTimeout.toMillis() < 10) {
            throw new IllegalArgumentException("S3 call timeout must be at least 10ms: " + callTimeout);
        }
    }

    /** AWS S3 in the default region, no prefix, virtual-host addressing, bucket must exist. */
    public static S3Settings forBucket(String bucket) {
        return new S3Settings(null, DEFAULT_REGION, bucket, "", false, false, DEFAULT_CALL_TIMEOUT);
    }

    public S3Settings withEndpoint(URI newEndpoint) {
        return new S3Settings(newEndpoint, region, bucket, prefix, pathStyle, createBucket, callTimeout);
    }

    public S3Settings withRegion(String newRegion) {
        return new S3Settings(endpoint, newRegion, bucket, prefix, pathStyle, createBucket, callTimeout);
    }

    public S3Settings withPrefix(String newPrefix) {
        return new S3Settings(endpoint, region, bucket, newPrefix, pathStyle, createBucket, callTimeout);
    }

    public S3Settings withPathStyle(boolean newPathStyle) {
        return new S3Settings(endpoint, region, bucket, prefix, newPathStyle, createBucket, callTimeout);
    }

    public S3Settings withCreateBucket(boolean newCreateBucket) {
        return new S3Settings(endpoint, region, bucket, prefix, pathStyle, newCreateBucket, callTimeout);
    }

    public S3Settings withCallTimeout(Duration newCallTimeout) {
        return new S3Settings(endpoint, region, bucket, prefix, pathStyle, createBucket, newCallTimeout);
    }

    /** The key prefix of every object this store writes: {@code {prefix}/v1/} or {@code v1/}. */
    String rootKey() {
        return prefix.isEmpty() ? "v1/" : prefix + "/v1/";
    }

    /** The key prefix of the ownership logs of a group of brokers: {@code {prefix}/cluster/} or {@code cluster/}. */
    String clusterKey() {
        return prefix.isEmpty() ? "cluster/" : prefix + "/cluster/";
    }

    /** The key prefix of the retirement markers (README, "Bounded growth"): {@code {prefix}/retired/}. */
    String retiredKey() {
        return prefix.isEmpty() ? "retired/" : prefix + "/retired/";
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String trimmed = prefix.strip();
        int start = 0;
        int end = trimmed.length();
        while (start < end && trimmed.charAt(start) == '/') {
            start++;
        }
        while (end > start && trimmed.charAt(end - 1) == '/') {
            end--;
        }
        return trimmed.substring(start, end);
    }
}
