package dev.lockbroker.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON form of a {@link LeaseRecord} as every store keeps it. Unknown fields are ignored. */
public final class RecordCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RecordCodec() {}

    public static byte[] encode(LeaseRecord record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a record.
     *
     * @throws StoreUnavailableException when the bytes are no record this version can read (e.g. one
     *     a newer broker wrote): the store cannot be used, which clients see as 503, not as a 500
     */
    public static LeaseRecord decode(byte[] json) {
        try {
            return MAPPER.readValue(json, LeaseRecord.class);
        } catch (IOException e) {
            throw new StoreUnavailableException(
                    "a lease record this broker cannot read (written by a newer version?): " + e.getMessage(), e);
        }
    }

    /** The object or file name of record {@code seq}: zero-padded so names sort as numbers do. */
    public static String recordName(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("a record number is never negative: " + seq);
        }
        // By hand, not String.format: this runs for every append and read, and format was 3 % of a grant's CPU.
        String digits = Long.toString(seq);
        return "0".repeat(19 - digits.length()) + digits + ".json";
    }

    /** The sequence number in a record name, or -1 when the name is not one. */
    public static long seqOf(String name) {
        if (name.length() != 24 || !name.endsWith(".json")) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 19));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
