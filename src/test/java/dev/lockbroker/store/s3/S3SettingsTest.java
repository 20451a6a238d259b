package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

    @Test
    void absent_values_take_their_defaults() {
        S3Settings settings = new S3Settings(null, null, "bucket-a", null, false, false, null);
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.prefix()).isEmpty();
        assertThat(settings.callTimeout()).isEqualTo(S3Settings.DEFAULT_CALL_TIMEOUT);
        assertThat(settings.rootKey()).isEqualTo("v1/");
    }

    @Test
    void a_prefix_loses_its_surrounding_slashes() {
        assertThat(S3Settings.forBucket("bucket-a").withPrefix("/team/locks/").rootKey())
                .isEqualTo("team/locks/v1/");
        assertThat(S3Settings.forBucket("bucket-a").withPrefix("///").rootKey()).isEqualTo("v1/");
    }

    @Test
    void out_of_range_values_are_errors() {
        S3Settings valid = S3Settings.forBucket("bucket-a");
        assertThatThrownBy(() -> valid.withCallTimeout(Duration.ZERO)).hasMessageContaining("call timeout");
        assertThatThrownBy(() -> valid.withCallTimeout(Duration.ofSeconds(-1))).hasMessageContaining("call timeout");
        assertThatThrownBy(() -> S3Settings.forBucket("a/b")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> S3Settings.forBucket("")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> valid.withEndpoint(URI.create("localhost:9000")))
                .hasMessageContaining("endpoint");
    }
}
