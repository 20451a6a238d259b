package dev.lockbroker.store.s3;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lockbroker.core.OwnershipLog;
import dev.lockbroker.core.OwnershipRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The ownership logs of a group of brokers on one bucket: {@code {prefix}/cluster/p{k}/{seq}.json},
 * one create-only log per partition, beside the lease logs. Same rules as {@link S3LeaseLog}:
 * created with {@code If-None-Match: *}, never overwritten, never deleted by a broker.
 *
 * <p>Thread-safe: stateless beyond the S3 client.
 */
public final class S3OwnershipLog implements OwnershipLog, AutoCloseable {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final S3Connection connection;
    private final RecordObjects records;
    private final String clusterKey;

    private S3OwnershipLog(S3Connection connection, S3Settings settings) {
        this.connection = connection;
        this.records = new RecordObjects(connection.objects());
        this.clusterKey = settings.clusterKey();
    }

    /** With credentials from the AWS default chain; the lease log's start-up check covers the bucket. */
    public static S3OwnershipLog open(S3Settings settings) {
        return open(settings, DefaultCredentialsProvider.builder().build());
    }

    public static S3OwnershipLog open(S3Settings settings, AwsCredentialsProvider credentials) {
        return new S3OwnershipLog(S3Connection.open(settings, credentials), settings);
    }

    @Override
    public boolean append(int partition, OwnershipRecord record) {
        return records.append(key(partition, record.seq()), encode(record));
    }

    @Override
    public Optional<OwnershipRecord> latestAfter(int partition, long seq) {
        return records.latestAfter(n -> key(partition, n), seq).map(S3OwnershipLog::decode);
    }

    @Override
    public void close() {
        connection.close();
    }

    private String key(int partition, long seq) {
        return clusterKey + "p" + partition + "/" + RecordCodec.recordName(seq);
    }

    private static byte[] encode(OwnershipRecord record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OwnershipRecord decode(byte[] json) {
        try {
            return MAPPER.readValue(json, OwnershipRecord.class);
        } catch (IOException e) {
            throw new StoreUnavailableException("unreadable ownership record", e);
        }
    }
}
