package dev.lockbroker.store.s3;

import dev.lockbroker.core.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What {@link S3LeaseLog#open} proves before the broker trusts a store: the bucket is there (or is
 * made), a second create-only PUT of one key is refused, and create-only PUTs racing for one key
 * have exactly one winner ({@link RaceProbe}). Some S3-compatible stores ignore {@code
 * If-None-Match} and overwrite (cf. lxc/incus#3651), others check then write without holding
 * anything between the two (S3Mock 5.2.0); on either, two brokers could both win a record number,
 * so the broker must not start.
 */
final class StoreCheck {
    private StoreCheck() {}

    static void run(ObjectStore objects, S3Client s3, S3Settings settings) {
        ensureBucket(s3, settings);
        String probePrefix = settings.rootKey() + ".probe/probe-" + UUID.randomUUID();
        proveCreateIfAbsent(objects, probePrefix);
        RaceProbe.prove(objects, probePrefix + "-race-");
    }

    private static void ensureBucket(S3Client s3, S3Settings settings) {
        String bucket = settings.bucket();
        try {
            s3.headBucket(h -> h.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != ObjectStore.NOT_FOUND) {
                throw unavailable("S3 bucket " + bucket + " cannot be checked (HTTP " + e.statusCode() + ")", e);
            }
            if (!settings.createBucket()) {
                throw new IllegalStateException(
                        "S3 bucket " + bucket + " does not exist; create it or enable createBucket");
            }
            createBucket(s3, settings);
        } catch (SdkException e) {
            throw unavailable("S3 bucket " + bucket + " cannot be reached: " + e.getMessage(), e);
        }
    }

    private static void createBucket(S3Client s3, S3Settings settings) {
        boolean defaultRegion = S3Settings.DEFAULT_REGION.equals(settings.region());
        try {
            s3.createBucket(c -> {
                c.bucket(settings.bucket());
                if (!defaultRegion) {
                    c.createBucketConfiguration(b -> b.locationConstraint(settings.region()));
                }
            });
        } catch (BucketAlreadyOwnedByYouException e) {
            // another broker created it between our HEAD and CREATE
        } catch (SdkException e) {
            throw unavailable("S3 bucket " + settings.bucket() + " cannot be created: " + e.getMessage(), e);
        }
    }

    private static void proveCreateIfAbsent(ObjectStore objects, String probeKey) {
        byte[] body = "{\"probe\":true}".getBytes(StandardCharsets.UTF_8);
        // The first answer may be false when the SDK retried a PUT that had landed; only the second counts.
        objects.createIfAbsent(probeKey, body);
        boolean overwritten = objects.createIfAbsent(probeKey, body);
        objects.deleteProbe(probeKey);
        if (overwritten) {
            throw new IllegalStateException("S3 store behind bucket " + objects.bucket()
                    + " ignores If-None-Match: * (a second create-only PUT of one key succeeded);"
                    + " lockbroker needs create-if-absent writes and cannot run on it (cf. lxc/incus#3651)");
        }
    }

    private static StoreUnavailableException unavailable(String message, Throwable cause) {
        return new StoreUnavailableException(message, cause);
    }
}
