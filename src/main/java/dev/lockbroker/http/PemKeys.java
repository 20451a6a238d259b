package dev.lockbroker.http;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private keys from PEM text: PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519), PKCS#1 RSA ({@code RSA
 * PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}); the last two are wrapped into PKCS#8 for the
 * JDK's key factories. Encrypted keys are refused with a pointer to PKCS12.
 */
final class PemKeys {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM = der(0x30, oid("2A864886F70D010101"), new byte[] {0x05, 0x00});
    private static final byte[] EC_PUBLIC_KEY_OID = oid("2A8648CE3D0201");
    private static final String ENCRYPTED =
            "the key is encrypted: give it unencrypted (file mode 0600) or use a PKCS12 keystore";
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private PemKeys() {}

    /** The first private key in {@code pem}; {@link IllegalArgumentException} naming what was wrong. */
    static PrivateKey parse(String pem) {
        return parse(pem, null);
    }

    /**
     * As {@link #parse(String)}; {@code certified} is the public key of the key's certificate, whose
     * curve stands in for one a SEC1 key leaves out (as some tools write them).
     */
    static PrivateKey parse(String pem, java.security.PublicKey certified) {
        if (pem.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException(ENCRYPTED);
        }
        Matcher block = BLOCK.matcher(pem);
        while (block.find()) {
            String type = block.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue; // EC PARAMETERS and the like
            }
            byte[] der = Base64.getMimeDecoder().decode(block.group(2).strip());
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der, List.of("RSA", "EC", "Ed25519", "Ed448"));
                case "RSA PRIVATE KEY" -> pkcs8(der(0x30, VERSION_0, RSA_ALGORITHM, der(0x04, der)), List.of("RSA"));
                case "EC PRIVATE KEY" -> pkcs8(sec1ToPkcs8(der, certified), List.of("EC"));
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(ENCRYPTED);
                default -> throw new IllegalArgumentException("unsupported key type '" + type + "'");
            };
        }
        throw new IllegalArgumentException("no PEM private key block (-----BEGIN PRIVATE KEY-----) found");
    }

    private static PrivateKey pkcs8(byte[] der, List<String> algorithms) {
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException(
                "the private key is not a readable " + String.join("/", algorithms) + " key");
    }

    /** SEC1 {@code ECPrivateKey ::= SEQUENCE {version, privateKey, [0] curve OID, [1] publicKey}}. */
    private static byte[] sec1ToPkcs8(byte[] sec1, java.security.PublicKey certified) {
        Der sequence = Der.read(sec1, 0);
        int at = sequence.contentStart();
        while (at < sequence.end()) {
            Der field = Der.read(sec1, at);
            if (field.tag() == 0xA0) {
                byte[] curve = Arrays.copyOfRange(sec1, field.contentStart(), field.end());
                return der(0x30, VERSION_0, der(0x30, EC_PUBLIC_KEY_OID, curve), der(0x04, sec1));
            }
            at = field.end();
        }
        if (certified != null && certified.getAlgorithm().equals("EC")) {
            // SubjectPublicKeyInfo ::= SEQUENCE {AlgorithmIdentifier {ecPublicKey, curve}, BIT STRING}
            byte[] spki = certified.getEncoded();
            Der algorithm = Der.read(spki, Der.read(spki, 0).contentStart());
            byte[] algorithmId = Arrays.copyOfRange(spki, algorithm.start(), algorithm.end());
            return der(0x30, VERSION_0, algorithmId, der(0x04, sec1));
        }
        throw new IllegalArgumentException("the EC private key does not name its curve");
    }

    /** One DER element: its tag, where it starts, and where its content starts and ends. */
    private record Der(int tag, int start, int contentStart, int end) {
        static Der read(byte[] bytes, int at) {
            try {
                int tag = bytes[at] & 0xFF;
                int length = bytes[at + 1] & 0xFF;
                int start = at + 2;
                if (length > 0x80) {
                    int count = length - 0x80;
                    length = 0;
                    for (int i = 0; i < count; i++) {
                        length = (length << 8) | (bytes[start + i] & 0xFF);
                    }
                    start += count;
                }
                if (length < 0 || start + length > bytes.length) {
                    throw new IllegalArgumentException("the EC private key is truncated");
                }
                return new Der(tag, at, start, start + length);
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("the EC private key is truncated", e);
            }
        }
    }

    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 + bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static byte[] oid(String hexContent) {
        byte[] content = java.util.HexFormat.of().parseHex(hexContent);
        return der(0x06, content);
    }
}
