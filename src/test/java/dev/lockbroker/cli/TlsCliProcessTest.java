package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.support.BrokerProcess;
import dev.lockbroker.support.CliProcess;
import dev.lockbroker.support.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockbroker server --tls-keystore} (PKCS12, password from an environment variable) and the
 * client commands against it: LOCKBROKER_CA_FILE (the default of {@code --ca-file}) trusts the test's CA; without
 * it a command exits 69 with one plain line, no stack trace.
 */
@Timeout(90)
class TlsCliProcessTest {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void client_commands_trust_the_ca_file_and_refuse_an_unknown_certificate_with_exit_69() throws Exception {
        var ca = TestCertificates.ca("lockbroker cli test CA");
        Path caFile = dir.resolve("ca.pem");
        Path keystore = dir.resolve("server.p12");
        TestCertificates.writeCertificate(caFile, ca.certificate());
        TestCertificates.writePkcs12(TestCertificates.server(ca, "RSA"), keystore, "p12-secret");
        try (BrokerProcess broker = BrokerProcess.start(
                dir,
                Map.of("TEST_P12_PASSWORD", "p12-secret"),
                2,
                4,
                "--tls-keystore",
                keystore.toString(),
                "--tls-keystore-password-env",
                "TEST_P12_PASSWORD")) {
            assertThat(broker.url().getScheme()).isEqualTo("https");
            try (CliProcess acquire = CliProcess.start(
                    dir,
                    broker.url(),
                    Map.of("LOCKBROKER_CA_FILE", caFile.toString()),
                    "acquire",
                    "--namespace",
                    "tls",
                    "-q")) {
                assertThat(acquire.exitCode(EXIT_TIMEOUT)).as(acquire.stderr()).isEqualTo(ExitCodes.OK);
                assertThat(acquire.stdout()).contains("\"leaseId\"");
            }
            try (CliProcess untrusted = CliProcess.start(dir, broker.url(), "status")) {
                assertThat(untrusted.exitCode(EXIT_TIMEOUT)).isEqualTo(ExitCodes.UNAVAILABLE);
                assertThat(untrusted.stderr())
                        .contains("TLS certificate is not trusted")
                        .contains("--ca-file")
                        .doesNotContain("\tat ")
                        .doesNotContain("Exception");
            }
        }
    }
}
