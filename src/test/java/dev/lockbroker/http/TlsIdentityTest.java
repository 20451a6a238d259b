package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.support.TestCertificates;
import dev.lockbroker.support.TestCertificates.Issued;
import dev.lockbroker.support.TestCertificates.KeyFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key and certificate formats the broker reads, and the refusals that keep an old identity in force. */
class TlsIdentityTest {
    @TempDir
    static Path dir;

    private static Issued ca;

    @BeforeAll
    static void makeCa() {
        ca = TestCertificates.ca("identity test CA");
    }

    private static TlsIdentity loadPem(Issued server, KeyFormat format) {
        Path cert = dir.resolve("c-" + server.serial() + format + ".pem");
        Path key = dir.resolve("k-" + server.serial() + format + ".pem");
        TestCertificates.writePem(server, cert, key, format);
        return TlsIdentity.load(TlsSettings.pem(cert, key, 1_000));
    }

    @Test
    void reads_pkcs8_and_pkcs1_rsa_and_pkcs8_and_sec1_ec_keys_with_their_chain() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            Issued server = TestCertificates.server(ca, algorithm);
            for (KeyFormat format : KeyFormat.values()) {
                TlsIdentity identity = loadPem(server, format);
                assertThat(identity.leaf().getSerialNumber()).isEqualTo(server.serial());
                assertThat(identity.keyStore().getCertificateChain(TlsIdentity.ALIAS))
                        .hasSize(2);
            }
        }
    }

    @Test
    void reads_a_sec1_key_that_names_its_curve_as_openssl_writes_it() throws Exception {
        Issued server = TestCertificates.server(ca, "EC");
        PrivateKeyInfo info =
                PrivateKeyInfo.getInstance(server.keys().getPrivate().getEncoded());
        var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
        String pem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + "-----BEGIN EC PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(sec1.getEncoded()) + "\n-----END EC PRIVATE KEY-----\n";
        var parsed = (java.security.interfaces.ECPrivateKey) PemKeys.parse(pem);
        assertThat(parsed.getS())
                .isEqualTo(
                        ((java.security.interfaces.ECPrivateKey) server.keys().getPrivate()).getS());
    }

    @Test
    void reads_a_pkcs12_keystore_and_names_a_wrong_password() {
        Issued server = TestCertificates.server(ca, "RSA");
        Path p12 = dir.resolve("server.p12");
        TestCertificates.writePkcs12(server, p12, "right");
        assertThat(TlsIdentity.load(TlsSettings.pkcs12(p12, "right", 1_000))
                        .leaf()
                        .getSerialNumber())
                .isEqualTo(server.serial());
        assertThatThrownBy(() -> TlsIdentity.load(TlsSettings.pkcs12(p12, "wrong", 1_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(p12.toString())
                .hasMessageContaining("password");
    }

    @Test
    void refuses_a_key_of_another_certificate_an_encrypted_key_and_no_key() throws Exception {
        Issued one = TestCertificates.server(ca, "RSA");
        Issued other = TestCertificates.server(ca, "RSA");
        Path cert = dir.resolve("one.pem");
        Path key = dir.resolve("other.key");
        TestCertificates.writePem(one, cert, dir.resolve("one.key"), KeyFormat.PKCS8);
        TestCertificates.writeKey(key, other, KeyFormat.PKCS8);
        assertThatThrownBy(() -> TlsIdentity.load(TlsSettings.pem(cert, key, 1_000)))
                .hasMessageContaining("does not belong to the certificate");

        Files.writeString(key, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsIdentity.load(TlsSettings.pem(cert, key, 1_000)))
                .hasMessageContaining("encrypted");

        Files.writeString(key, "");
        assertThatThrownBy(() -> TlsIdentity.load(TlsSettings.pem(cert, key, 1_000)))
                .hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> TlsIdentity.load(TlsSettings.pem(dir.resolve("missing.pem"), key, 1_000)))
                .hasMessageContaining("missing.pem");
    }

    @Test
    void settings_need_pem_files_or_a_keystore_but_not_both() {
        Path any = dir.resolve("x");
        assertThatThrownBy(() -> new TlsSettings(any, null, null, null, 1_000)).hasMessageContaining("--tls-key");
        assertThatThrownBy(() -> new TlsSettings(any, any, any, "p", 1_000)).hasMessageContaining("either");
        assertThatThrownBy(() -> new TlsSettings(null, null, any, null, 1_000)).hasMessageContaining("password");
        assertThat(TlsSettings.pkcs12(any, "secret", 1_000).toString()).doesNotContain("secret");
    }
}
