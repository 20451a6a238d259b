package dev.lockbroker.bench.published;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A port of the polling S3 lock that swamp's S3 datastore uses (written from its described
 * behaviour, for comparison only). Acquire: create the lock object with If-None-Match: *; when it
 * exists, read it and HEAD it, and if its LastModified is older than the TTL it names, delete it
 * and try again at once; otherwise sleep the retry interval and try again, until the maximum wait
 * has passed (then one last read for the error message). Held: every TTL/3 a heartbeat reads the
 * object, checks its nonce and PUTs it again unconditionally. Release: DELETE.
 *
 * <p>Concurrency: one worker calls acquire and release; the heartbeat runs on {@code heartbeats}.
 * The flags are volatile because both touch them, as in the original (no lock around the I/O).
 */
final class PollingS3Lock {
    static final long DEFAULT_MAX_WAIT_MILLIS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String key;
    private final long ttlMillis;
    private final long retryIntervalMillis;
    private final ScheduledExecutorService heartbeats;
    private volatile boolean held;
    private volatile boolean releasing;
    private volatile String nonce;
    private ScheduledFuture<?> heartbeat;

    PollingS3Lock(S3Client s3, String key, long ttlMillis, long retryIntervalMillis, ScheduledExecutorService hb) {
        this.s3 = s3;
        this.key = key;
        this.ttlMillis = ttlMillis;
        this.retryIntervalMillis = retryIntervalMillis;
        this.heartbeats = hb;
    }

    /** True once created; false after {@code maxWaitMillis} (the original throws LockTimeoutError). */
    boolean acquire(long maxWaitMillis) throws InterruptedException {
        long startedAt = System.currentTimeMillis();
        releasing = false;
        String mine = UUID.randomUUID().toString();
        for (; ; ) { // bounded: every pass checks the elapsed time first
            if (System.currentTimeMillis() - startedAt >= maxWaitMillis) {
                read();
                return false;
            }
            if (BenchS3.createIfAbsent(s3, key, body(mine))) {
                nonce = mine;
                held = true;
                long every = ttlMillis / 3;
                heartbeat = heartbeats.scheduleAtFixedRate(this::extendQuietly, every, every, TimeUnit.MILLISECONDS);
                return true;
            }
            JsonNode existing = read();
            if (existing != null && isStale(existing)) {
                deleteQuietly();
                continue;
            }
            Thread.sleep(retryIntervalMillis);
        }
    }

    void release() {
        releasing = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (!held) {
            return;
        }
        held = false;
        nonce = null;
        deleteQuietly();
    }

    private boolean isStale(JsonNode existing) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(h -> h.bucket(BenchS3.BUCKET).key(key));
        } catch (S3Exception gone) {
            return false;
        }
        long ageMillis = System.currentTimeMillis() - head.lastModified().toEpochMilli();
        return ageMillis > existing.path("ttlMs").asLong(ttlMillis);
    }

    private void extendQuietly() {
        try {
            extend();
        } catch (RuntimeException e) {
            // a failed heartbeat is not fatal: the lock then expires by its TTL
        }
    }

    private void extend() {
        String mine = nonce;
        if (!held || mine == null || releasing) {
            return;
        }
        JsonNode current = read();
        if (current == null || !mine.equals(current.path("nonce").asText())) {
            held = false;
            heartbeat.cancel(false);
            return;
        }
        if (releasing) {
            return;
        }
        s3.putObject(p -> p.bucket(BenchS3.BUCKET).key(key), RequestBody.fromBytes(body(mine)));
        if (!held) {
            deleteQuietly(); // released while the PUT was in flight: do not leave it behind
        }
    }

    private JsonNode read() {
        try {
            return JSON.readTree(
                    s3.getObjectAsBytes(g -> g.bucket(BenchS3.BUCKET).key(key)).asByteArray());
        } catch (Exception missingOrUnreadable) {
            return null;
        }
    }

    private void deleteQuietly() {
        try {
            s3.deleteObject(d -> d.bucket(BenchS3.BUCKET).key(key));
        } catch (RuntimeException e) {
            // best effort, as in the original: the TTL cleans up
        }
    }

    private byte[] body(String nonceValue) {
        try {
            return JSON.writeValueAsBytes(Map.of(
                    "holder",
                    "bench@localhost",
                    "hostname",
                    "localhost",
                    "pid",
                    ProcessHandle.current().pid(),
                    "acquiredAt",
                    Instant.now().toString(),
                    "ttlMs",
                    ttlMillis,
                    "nonce",
                    nonceValue));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
