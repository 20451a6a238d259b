package dev.lockbroker.store.s3;

import dev.lockbroker.core.StoreUnavailableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The object calls the lease log needs, over one bucket, with S3's answers turned into
 * values (absent, already exists) and every other failure into {@link StoreUnavailableException}.
 * Thread-safe: {@link S3Client} is.
 */
final class ObjectStore {
    static final int NOT_FOUND = 404;
    static final int PRECONDITION_FAILED = 412;

    private final S3Client s3;
    private final String bucket;
    private final RecordRequests records;

    ObjectStore(S3Client s3, String bucket, RecordRequests records) {
        this.s3 = s3;
        this.bucket = bucket;
        this.records = records;
    }

    String bucket() {
        return bucket;
    }

    /** Creates {@code key} with {@code bytes} unless it exists (If-None-Match: *); false when it does. */
    boolean createIfAbsent(String key, byte[] bytes) {
        return call("create " + key, () -> records.create(key, bytes) == RecordRequests.Answer.CREATED);
    }

    /** The content of {@code key}, or empty when it does not exist. */
    Optional<byte[]> read(String key) {
        return call("read " + key, () -> records.get(key));
    }

    /** Whether {@code key} exists (HEAD). */
    boolean exists(String key) {
        return call("probe " + key, () -> {
            try {
                s3.headObject(h -> h.bucket(bucket).key(key));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == NOT_FOUND) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Throws {@link StoreUnavailableException} unless the bucket answers a HEAD now. */
    void headBucket() {
        call("reach bucket", () -> s3.headBucket(h -> h.bucket(bucket)));
    }

    /**
     * The keys directly under {@code prefix} (none deeper when {@code flat}), in key order, at most
     * {@code limit}: one LIST request per 1,000.
     */
    List<String> keysUnder(String prefix, boolean flat, int limit) {
        return call("list " + prefix, () -> {
            List<String> keys = new ArrayList<>();
            var pages = s3.listObjectsV2Paginator(
                    l -> l.bucket(bucket).prefix(prefix).delimiter(flat ? "/" : null));
            for (var page : pages) {
                for (var object : page.contents()) {
                    keys.add(object.key());
                    if (keys.size() >= limit) {
                        return keys;
                    }
                }
            }
            return keys;
        });
    }

    /**
     * The last key under {@code prefix} (none deeper) that sorts after {@code startAfter}, or empty:
     * one LIST request per 1,000 keys after it.
     */
    Optional<String> lastKeyAfter(String prefix, String startAfter) {
        return call("list " + prefix, () -> {
            String last = null;
            var pages = s3.listObjectsV2Paginator(
                    l -> l.bucket(bucket).prefix(prefix).delimiter("/").startAfter(startAfter));
            for (var page : pages) {
                for (var object : page.contents()) {
                    last = object.key();
                }
            }
            return Optional.ofNullable(last);
        });
    }

    /** Deletes {@code keys}, up to 1,000 per request; a key already gone is no error. */
    void deleteAll(List<String> keys) {
        for (int from = 0; from < keys.size(); from += 1_000) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1_000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            call(
                    "delete " + batch.size() + " objects",
                    () -> s3.deleteObjects(
                            d -> d.bucket(bucket).delete(x -> x.objects(batch).quiet(true))));
        }
    }

    /** Writes {@code key} whatever is there: only for advisory objects (presences), never for records. */
    void overwrite(String key, byte[] bytes) {
        call("write " + key, () -> s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(bytes)));
    }

    /** The keys directly under {@code prefix} with their ETags, at most {@code limit}: one LIST per 1,000. */
    Map<String, String> etagsUnder(String prefix, int limit) {
        return call("list " + prefix, () -> {
            Map<String, String> etags = new TreeMap<>();
            var pages = s3.listObjectsV2Paginator(
                    l -> l.bucket(bucket).prefix(prefix).delimiter("/"));
            for (var page : pages) {
                for (var object : page.contents()) {
                    etags.put(object.key(), String.valueOf(object.eTag()));
                    if (etags.size() >= limit) {
                        return etags;
                    }
                }
            }
            return etags;
        });
    }

    /** Deletes a non-record object (the start-up probe, a presence). */
    void deleteProbe(String key) {
        call("delete " + key, () -> s3.deleteObject(d -> d.bucket(bucket).key(key)));
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException | UncheckedIOException e) {
            throw new StoreUnavailableException("S3 bucket " + bucket + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
