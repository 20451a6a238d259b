package dev.lockbroker.store.s3;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.store.RecordCodec;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
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
    private final ObjectStore objects;
    private final RecordObjects records;
    private final String rootKey;

    private S3LeaseLog(S3Client s3, S3Settings settings) {
        this.s3 = s3;
        this.objects = new ObjectStore(s3, settings.bucket());
        this.records = new RecordObjects(objects);
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
        S3Client s3 = S3Clients.create(settings, credentials);
        try {
            StoreCheck.run(new ObjectStore(s3, settings.bucket()), s3, settings);
            return new S3LeaseLog(s3, settings);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    /** Records carry fresh random lease ids, so another broker's record equal to ours holds no grant we would claim. */
    @Override
    public boolean append(String namespace, LeaseRecord record) {
        return records.append(recordKey(namespace, record.seq()), RecordCodec.encode(record));
    }

    @Override
    public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        return records.latestAfter(n -> recordKey(namespace, n), seq).map(RecordCodec::decode);
    }

    @Override
    public void checkReachable() {
        objects.headBucket();
    }

    @Override
    public void close() {
        s3.close();
    }

    private String recordKey(String namespace, long seq) {
        return rootKey + namespace + "/" + RecordCodec.recordName(seq);
    }
}
