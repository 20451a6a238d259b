package dev.lockbroker.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made at test time: a CA, and server certificates it signs for 127.0.0.1 and localhost. */
public final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xFFFFFFFL);

    /** A key pair and its certificate, with the issuer's certificate when it has one. */
    public record Issued(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }
    }

    /** How the private key is written. */
    public enum KeyFormat {
        PKCS8,
        /** PKCS#1 for RSA, SEC1 for EC: OpenSSL's "traditional" format. */
        TRADITIONAL
    }

    private TestCertificates() {}

    public static Issued ca(String name) {
        KeyPair keys = keys("RSA");
        return new Issued(keys, sign(name, keys, name, keys, true), null);
    }

    /** A server certificate for 127.0.0.1 and localhost, with an RSA or EC ({@code "EC"}) key. */
    public static Issued server(Issued ca, String keyAlgorithm) {
        KeyPair keys = keys(keyAlgorithm);
        return new Issued(keys, sign("lockbroker test server", keys, name(ca), ca.keys(), false), ca.certificate());
    }

    /** Writes the PEM chain (leaf, then issuer) and key, each through a rename, as a rotation would. */
    public static void writePem(Issued server, Path certFile, Path keyFile, KeyFormat format) {
        replace(certFile, pem(server.certificate()) + pem(server.issuer()));
        replace(keyFile, keyPem(server, format));
    }

    public static void writeCertificate(Path file, X509Certificate certificate) {
        replace(file, pem(certificate));
    }

    public static void writeKey(Path file, Issued server, KeyFormat format) {
        replace(file, keyPem(server, format));
    }

    /** A PKCS12 keystore holding the server's key and chain under {@code password}. */
    public static void writePkcs12(Issued server, Path file, String password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", server.keys().getPrivate(), password.toCharArray(), new X509Certificate[] {
                server.certificate(), server.issuer()
            });
            store.store(out, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String keyPem(Issued server, KeyFormat format) {
        try {
            return switch (format) {
                case PKCS8 -> pem(new JcaPKCS8Generator(server.keys().getPrivate(), null));
                case TRADITIONAL -> pem(server.keys().getPrivate());
            };
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String name(Issued ca) {
        return ca.certificate().getSubjectX500Principal().getName().replace("CN=", "");
    }

    private static KeyPair keys(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048, new SecureRandom());
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(
            String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean ca) {
        try {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(
                    new X500Name("CN=" + issuer),
                    BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(1, ChronoUnit.DAYS)),
                    new X500Name("CN=" + subject),
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")
                }));
            }
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    private static void replace(Path file, String text) {
        try {
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "tmp-", ".pem");
            Files.writeString(temp, text);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
