package dev.lockbroker.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * The broker's TLS key and certificate chain as a keystore for Jetty, read from the files of
 * {@link TlsSettings}. A key that does not match the leaf certificate is refused, so a rotation that
 * has written the new certificate but not yet the new key keeps the old identity in force.
 */
record TlsIdentity(KeyStore keyStore, String password, X509Certificate leaf) {
    static final String ALIAS = "lockbroker";
    /** Protects the in-memory keystore made from PEM files; it never leaves the process. */
    private static final String IN_MEMORY_PASSWORD = "lockbroker-in-memory";

    /** Reads the identity; {@link IllegalArgumentException} naming the file and what is wrong. */
    static TlsIdentity load(TlsSettings tls) {
        return tls.keystoreFile() == null
                ? fromPem(tls.certificateFile(), tls.privateKeyFile())
                : fromPkcs12(tls.keystoreFile(), tls.keystorePassword());
    }

    private static TlsIdentity fromPem(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key;
        try {
            key = PemKeys.parse(
                    Files.readString(keyFile, StandardCharsets.US_ASCII),
                    chain.getFirst().getPublicKey());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS key " + keyFile + ": " + e.getMessage(), e);
        }
        requireMatch(key, chain.getFirst(), keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, IN_MEMORY_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            return new TlsIdentity(store, IN_MEMORY_PASSWORD, chain.getFirst());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate in a PEM (or DER) file, leaf first. */
    static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in it");
            }
            return chain;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("certificate file " + file + ": " + e.getMessage(), e);
        }
    }

    private static TlsIdentity fromPkcs12(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password.toCharArray());
                    X509Certificate leaf = (X509Certificate) store.getCertificate(alias);
                    if (key instanceof PrivateKey privateKey && leaf != null) {
                        requireMatch(privateKey, leaf, file);
                        return new TlsIdentity(store, password, leaf);
                    }
                }
            }
            throw new IllegalArgumentException("no private key entry with a certificate in it");
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS keystore " + file + ": " + describe(e), e);
        }
    }

    /** Signs and verifies a probe: the only check that covers every key type. */
    private static void requireMatch(PrivateKey key, X509Certificate leaf, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448 name their signature
        };
        byte[] probe = "lockbroker key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(leaf.getPublicKey());
            verify.update(probe);
            if (verify.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // answered below
        }
        throw new IllegalArgumentException("TLS key " + keyFile + " does not belong to the certificate "
                + leaf.getSubjectX500Principal().getName());
    }

    private static String describe(Exception e) {
        // A wrong PKCS12 password surfaces as an IOException wrapping UnrecoverableKeyException.
        return e.getCause() instanceof java.security.UnrecoverableKeyException ? "wrong password" : e.getMessage();
    }
}
