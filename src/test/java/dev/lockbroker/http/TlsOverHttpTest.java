package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.client.BrokerRejectedException;
import dev.lockbroker.client.BrokerUnavailableException;
import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockRequest;
import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.InProcessBroker;
import dev.lockbroker.support.Poll;
import dev.lockbroker.support.TestCertificates;
import dev.lockbroker.support.TestCertificates.Issued;
import dev.lockbroker.support.TestCertificates.KeyFormat;
import dev.lockbroker.support.TlsProbe;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from PEM files made at test time: a client trusting the CA locks and releases, one that does
 * not is refused with a plain message, plain HTTP to the port is answered 400 JSON, the edge's JSON
 * promise holds over TLS, and a certificate replaced on disk is served to the next connection
 * (a half-done rotation keeps the old one).
 */
class TlsOverHttpTest {
    private static final long RELOAD_CHECK_MILLIS = 100;

    @TempDir
    static Path dir;

    private static Issued ca;
    private static Path caFile;
    private static Path certFile;
    private static Path keyFile;
    private static InProcessBroker broker;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.ca("lockbroker test CA one");
        caFile = dir.resolve("ca.pem");
        certFile = dir.resolve("server.pem");
        keyFile = dir.resolve("server.key");
        TestCertificates.writeCertificate(caFile, ca.certificate());
        TestCertificates.writePem(TestCertificates.server(ca, "RSA"), certFile, keyFile, KeyFormat.PKCS8);
        Files.createDirectories(dir.resolve("log"));
        HttpSettings settings = new HttpSettings(500, (AccessControl) null, RequestObserver.NONE, null, 10_000)
                .withTls(TlsSettings.pem(certFile, keyFile, RELOAD_CHECK_MILLIS));
        broker = new InProcessBroker(new FileLeaseLog(dir.resolve("log")), settings, 5_000, LockEventListener.NONE);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static LockClient trusting(Path ca) {
        return LockClient.builder(URI.create(broker.url())).caFile(ca).build();
    }

    @Test
    void a_client_trusting_the_ca_file_acquires_and_releases_over_https() throws Exception {
        assertThat(broker.url()).startsWith("https://");
        LockClient client = trusting(caFile);
        try (Lease lease = client.acquire(LockRequest.exclusive("tls", "a", Duration.ofSeconds(30)), Duration.ZERO)) {
            lease.checkValid();
            assertThat(client.status("tls").keys()).hasSize(1);
        }
        assertThat(client.status("tls").keys()).isEmpty();
    }

    @Test
    void a_client_without_the_ca_is_refused_with_a_plain_message() {
        LockClient untrusting = LockClient.create(URI.create(broker.url()), java.util.Optional.empty());
        assertThatThrownBy(() -> untrusting.status("tls"))
                .isInstanceOf(BrokerUnavailableException.class)
                .hasMessageContaining("TLS certificate is not trusted")
                .hasMessageContaining("--ca-file");
    }

    @Test
    void plain_http_to_the_tls_port_is_answered_400_json_and_closed() throws Exception {
        String answer = TlsProbe.plainExchange(
                broker.port(), "GET /v1/namespaces HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer).containsIgnoringCase("Connection: close");
        assertThat(answer).containsIgnoringCase("X-Request-Id: ");
        assertThat(answer).contains("\"error\":\"https_required\"");

        LockClient plain =
                LockClient.create(URI.create(broker.url().replace("https:", "http:")), java.util.Optional.empty());
        assertThatThrownBy(() -> plain.status("tls"))
                .isInstanceOfSatisfying(
                        BrokerRejectedException.class,
                        e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("HTTPS only");
    }

    @Test
    void jetty_errors_on_the_tls_port_answer_json_too() throws Exception {
        String badLine = TlsProbe.tlsExchange(broker.port(), "GET /v1/\u0001bad HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(badLine).startsWith("HTTP/1.1 400 ");
        assertThat(badLine).containsIgnoringCase("Content-Type: application/json");
        assertThat(badLine).containsIgnoringCase("X-Request-Id: ");

        String tooLarge = TlsProbe.tlsExchange(
                broker.port(),
                "POST /v1/namespaces/tls/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 16777216\r\nExpect: 100-continue\r\n\r\n");
        assertThat(tooLarge).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
        assertThat(tooLarge).contains("\"error\":\"payload_too_large\"");
    }

    @Test
    void a_certificate_replaced_on_disk_is_served_to_the_next_connection() throws Exception {
        Issued ca2 = TestCertificates.ca("lockbroker test CA two");
        Path ca2File = dir.resolve("ca2.pem");
        TestCertificates.writeCertificate(ca2File, ca2.certificate());
        var before = TlsProbe.servedSerial(broker.port());
        Issued next = TestCertificates.server(ca2, "EC");

        // Half a rotation: the new certificate beside the old key is refused, the old identity stays.
        TestCertificates.writeCertificate(certFile, next.certificate());
        Thread.sleep(5 * RELOAD_CHECK_MILLIS);
        assertThat(TlsProbe.servedSerial(broker.port())).isEqualTo(before);

        TestCertificates.writePem(next, certFile, keyFile, KeyFormat.TRADITIONAL);
        Poll.until(
                "a new connection is served the new certificate",
                Duration.ofSeconds(10),
                () -> TlsProbe.servedSerial(broker.port()).equals(next.serial()));
        LockClient client = trusting(ca2File);
        try (Lease lease =
                client.acquire(LockRequest.exclusive("tls", "rotated", Duration.ofSeconds(30)), Duration.ZERO)) {
            lease.checkValid();
        }
        assertThatThrownBy(() -> trusting(caFile).status("tls")).hasMessageContaining("not trusted");

        // Put the first identity back for the other tests.
        TestCertificates.writePem(TestCertificates.server(ca, "RSA"), certFile, keyFile, KeyFormat.PKCS8);
        Poll.until(
                "the first CA's certificate is served again",
                Duration.ofSeconds(10),
                () -> !TlsProbe.servedSerial(broker.port()).equals(next.serial()));
    }
}
