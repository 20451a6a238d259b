package dev.lockbroker.store.s3;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 store: one object per record, {@code {prefix}/v1/{namespace}/{seq}.json}, created with
 * {@code If-None-Match: *}. Correctness rests on create-if-absent alone: no conditional overwrite, and records
 * are never deleted, since a stale broker could recreate a deleted number.
 *
 * <p>Why no age or count bound makes deletion safe: a writer paused between reading record n and
 * sending n+1 signs its PUT when it resumes, so SigV4's 15-minute window ({@code X-Amz-Date}) bounds
 * only requests already on the wire, and a late create of a deleted n+1 succeeds (see {@code
 * HeldPutAcrossDeletionTest}). Compaction therefore needs markers that are never deleted and that a
 * writer checks after its create before it claims a record (README, "Bounded growth": designed, not
 * built).
 *
 * <p>Thread-safe and stateless beyond the S3 client: any number of threads may call at once, and a
 * second broker on the same bucket is just another writer racing for numbers.
 */
public final class S3LeaseLog implements LeaseLog {
    private final S3Client s3;
    private final SdkHttpClient http;
    private final ObjectStore objects;
    private final String rootKey;

    private S3LeaseLog(S3Client s3, SdkHttpClient http, ObjectStore objects, S3Settings settings) {
        this.s3 = s3;
        this.http = http;
        this.objects = objects;
        this.rootKey = settings.rootKey();
    }

    /** Opens the store with credentials from the AWS default chain (environment, profile, role...). */
    public static S3LeaseLog open(S3Settings settings) {
        return open(settings, DefaultCredentialsProvider.builder().build());
    }

    /**
     * Opens the store: the bucket must exist (or is created when {@code settings.createBucket()}),
     * and the store must prove it enforces create-if-absent, else {@link IllegalStateException}.
     */
    public static S3LeaseLog open(S3Settings settings, AwsCredentialsProvider credentials) {
        SdkHttpClient http = S3Clients.http(settings);
        S3Client s3 = S3Clients.create(settings, credentials, http);
        try {
            String anyKey = settings.rootKey() + "any";
            URI anyKeyUrl = URI.create(s3.utilities()
                    .getUrl(u -> u.bucket(settings.bucket()).key(anyKey))
                    .toExternalForm());
            var put = new CreateOnlyPut(http, credentials, settings, anyKeyUrl, anyKey);
            ObjectStore objects = new ObjectStore(s3, settings.bucket(), put);
            StoreCheck.run(objects, s3, settings);
            return new S3LeaseLog(s3, http, objects, settings);
        } catch (RuntimeException e) {
            s3.close();
            http.close();
            throw e;
        }
    }

    /**
     * Creates the record's object. On 412 the object exists; when its content is byte for byte ours,
     * the SDK retried a PUT whose first attempt landed (its answer lost to a dead connection or an
     * attempt timeout), and the record is ours. Any other content won the race: false. Records carry
     * fresh random lease ids, so another broker's record equal to ours holds no grant we would claim.
     */
    @Override
    public boolean append(String namespace, LeaseRecord record) {
        String key = recordKey(namespace, record.seq());
        byte[] bytes = RecordCodec.encode(record);
        if (objects.createIfAbsent(key, bytes)) {
            return true;
        }
        byte[] existing = objects.read(key)
                .orElseThrow(
                        () -> new StoreUnavailableException("S3 answered 412 for " + key + " but has no such object"));
        return Arrays.equals(existing, bytes);
    }

    /**
     * GET seq+1 first: absent, the common case, costs that one request. Otherwise gallop with HEADs
     * from seq+1 and GET the highest. Listing would page through every record above {@code seq} (1000
     * per request, and records are never deleted), so a cold read of a long log costs O(log n) here
     * against O(n) there; a GET or HEAD is also one request class cheaper than a LIST on AWS.
     */
    @Override
    public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        long next = seq + 1;
        Optional<byte[]> nextBytes = objects.read(recordKey(namespace, next));
        if (nextBytes.isEmpty()) {
            return Optional.empty();
        }
        long highest = GallopingSearch.highestFrom(next, n -> objects.exists(recordKey(namespace, n)));
        if (highest == next) {
            return Optional.of(RecordCodec.decode(nextBytes.get()));
        }
        String key = recordKey(namespace, highest);
        byte[] bytes = objects.read(key)
                .orElseThrow(() -> new StoreUnavailableException("S3 record " + key + " vanished after it was seen"));
        return Optional.of(RecordCodec.decode(bytes));
    }

    @Override
    public void checkReachable() {
        objects.headBucket();
    }

    @Override
    public void close() {
        s3.close();
        http.close();
    }

    private String recordKey(String namespace, long seq) {
        return rootKey + namespace + "/" + RecordCodec.recordName(seq);
    }
}
