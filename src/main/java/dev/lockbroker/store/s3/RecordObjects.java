package dev.lockbroker.store.s3;

import dev.lockbroker.core.StoreUnavailableException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A create-only log of numbered objects, as both the lease logs and the ownership logs keep them:
 * create-if-absent appends and a read of the newest number above a known one.
 */
final class RecordObjects {
    private final ObjectStore objects;

    RecordObjects(ObjectStore objects) {
        this.objects = objects;
    }

    /**
     * Creates {@code key}. On 412 the object exists; when its content is byte for byte ours, the SDK
     * retried a PUT whose first attempt landed (its answer lost to a dead connection or an attempt
     * timeout), and the record is ours. Any other content won the race: false.
     */
    boolean append(String key, byte[] bytes) {
        if (objects.createIfAbsent(key, bytes)) {
            return true;
        }
        byte[] existing = objects.read(key)
                .orElseThrow(
                        () -> new StoreUnavailableException("S3 answered 412 for " + key + " but has no such object"));
        return Arrays.equals(existing, bytes);
    }

    /**
     * The content of the highest number above {@code seq}. GET seq+1 first: absent, the common case,
     * costs that one request. Otherwise gallop with HEADs from seq+1 and GET the highest. Listing would
     * page through every record above {@code seq} (1000 per request, and records are never deleted),
     * so a cold read of a long log costs O(log n) here against O(n) there; a GET or HEAD is also one
     * request class cheaper than a LIST on AWS.
     */
    Optional<byte[]> latestAfter(LongFunction<String> keyOf, long seq) {
        long next = seq + 1;
        Optional<byte[]> nextBytes = objects.read(keyOf.apply(next));
        if (nextBytes.isEmpty()) {
            return Optional.empty();
        }
        long highest = GallopingSearch.highestFrom(next, n -> objects.exists(keyOf.apply(n)));
        if (highest == next) {
            return nextBytes;
        }
        String key = keyOf.apply(highest);
        return Optional.of(objects.read(key)
                .orElseThrow(() -> new StoreUnavailableException("S3 record " + key + " vanished after it was seen")));
    }
}
