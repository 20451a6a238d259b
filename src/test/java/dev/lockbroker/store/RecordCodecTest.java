package dev.lockbroker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordCodecTest {
    @Test
    void record_names_are_nineteen_digits_so_they_sort_as_numbers_and_read_back() {
        assertThat(RecordCodec.recordName(0)).isEqualTo("0000000000000000000.json");
        assertThat(RecordCodec.recordName(42)).isEqualTo("0000000000000000042.json");
        assertThat(RecordCodec.recordName(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE + ".json");
        for (long seq : new long[] {0, 1, 9, 10, 999_999, Long.MAX_VALUE}) {
            assertThat(RecordCodec.seqOf(RecordCodec.recordName(seq))).isEqualTo(seq);
        }
        assertThatThrownBy(() -> RecordCodec.recordName(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_record_this_version_cannot_read_makes_the_store_unavailable_not_an_internal_error() {
        for (String unreadable : new String[] {"{\"seq\":", "[]", "{\"seq\":\"one\"}"}) {
            assertThatThrownBy(() -> RecordCodec.decode(unreadable.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isInstanceOf(dev.lockbroker.core.StoreUnavailableException.class)
                    .hasMessageContaining("cannot read");
        }
    }
}
