package dev.lockbroker.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the static bearer token of the broker, in constant time. */
final class BearerAuth {
    private final byte[] expected;

    BearerAuth(String token) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    void check(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedException();
        }
    }
}
