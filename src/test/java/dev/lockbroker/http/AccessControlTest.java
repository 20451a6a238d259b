package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file: hashed tokens, roles and globs; a reload swaps it, a bad reload keeps the old one. */
class AccessControlTest {
    @TempDir
    Path dir;

    private static String file(String name, String token, String role) {
        return "{\"tokens\":[{\"name\":\"" + name + "\",\"sha256\":\""
                + HexFormat.of().formatHex(AccessControl.sha256(token)) + "\",\"role\":\"" + role
                + "\",\"namespaces\":[\"team-?\",\"ci-*\"]}]}";
    }

    @Test
    void a_token_is_known_by_its_hash_with_its_role_and_namespaces() throws Exception {
        Path tokens = dir.resolve("t.json");
        Files.writeString(tokens, file("ci", "s3cret", "client"));
        AccessControl access = AccessControl.of(tokens, null);

        Caller caller = access.authenticate("Bearer s3cret");
        assertThat(caller.name()).isEqualTo("ci");
        assertThat(caller.role()).isEqualTo(Role.CLIENT);
        assertThat(caller.mayUse("team-a")).isTrue();
        assertThat(caller.mayUse("ci-nightly")).isTrue();
        assertThat(caller.mayUse("team-ab")).isFalse();
        assertThat(caller.mayUse("prod")).isFalse();
        assertThatThrownBy(() -> access.authenticate("Bearer S3CRET")).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> access.authenticate(null)).isInstanceOf(UnauthorizedException.class);
        assertThat(Files.readString(tokens)).doesNotContain("s3cret");
    }

    @Test
    void a_reload_swaps_the_tokens_and_a_bad_file_keeps_the_old_ones() throws Exception {
        Path tokens = dir.resolve("t.json");
        Files.writeString(tokens, file("old", "one", "admin"));
        AccessControl access = AccessControl.of(tokens, null);

        Files.writeString(tokens, file("new", "two", "metrics"));
        access.reload();
        assertThat(access.authenticate("Bearer two").role()).isEqualTo(Role.METRICS);
        assertThatThrownBy(() -> access.authenticate("Bearer one")).isInstanceOf(UnauthorizedException.class);

        Files.writeString(tokens, "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"nothex\",\"role\":\"admin\"}]}");
        access.reload();
        assertThat(access.authenticate("Bearer two").name()).isEqualTo("new");
    }

    @Test
    void a_bad_file_fails_at_start_and_no_configuration_is_open() {
        assertThatThrownBy(() -> AccessControl.of(dir.resolve("missing.json"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AccessControl.of(null, null).isOpen()).isTrue();
        assertThat(AccessControl.of(null, null).authenticate(null)).isEqualTo(Caller.OPEN);
    }
}
