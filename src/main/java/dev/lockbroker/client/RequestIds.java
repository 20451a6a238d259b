package dev.lockbroker.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for request ids, read from {@code /dev/urandom} where there is one: the
 * same kernel randomness that {@link UUID#randomUUID()} gets through {@link java.security.SecureRandom},
 * without initialising the security providers, a large part of a short command's start-up.
 */
final class RequestIds {
    private static final Path URANDOM = Path.of("/dev/urandom");

    private RequestIds() {}

    static String random() {
        byte[] bytes = new byte[16];
        try (InputStream in = Files.newInputStream(URANDOM)) {
            if (in.readNBytes(bytes, 0, 16) != 16) {
                return UUID.randomUUID().toString();
            }
        } catch (IOException | UnsupportedOperationException e) {
            return UUID.randomUUID().toString();
        }
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }
}
