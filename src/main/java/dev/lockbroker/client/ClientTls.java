package dev.lockbroker.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/** The client's side of TLS: trusting the CA certificates of a PEM file, and saying why a handshake failed. */
final class ClientTls {
    private ClientTls() {}

    /**
     * An SSL context that trusts exactly the certificates in {@code caFile} (PEM, one or more);
     * {@link IllegalArgumentException} naming the file when it cannot be read.
     */
    static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates =
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("CA file " + caFile + ": no certificate in it");
            }
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** What a TLS failure means for the user, or null when {@code e} is no TLS failure. */
    static String explain(IOException e, java.net.URI url) {
        Throwable root = e;
        boolean handshake = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            handshake |= t instanceof SSLHandshakeException;
            root = t;
        }
        if (root instanceof CertificateException
                && String.valueOf(root.getMessage()).contains("match")) {
            return "the broker's TLS certificate is not valid for " + url.getHost() + " (" + root.getMessage() + ")";
        }
        if (handshake && hasCause(e, java.security.cert.CertPathValidatorException.class, "PKIX")) {
            return "the broker's TLS certificate is not trusted: give the CA certificate that signed it"
                    + " (lockbroker --ca-file or LOCKBROKER_CA_FILE; LockClient.builder().caFile)";
        }
        if (e instanceof javax.net.ssl.SSLException
                && String.valueOf(e.getMessage()).contains("plaintext")) {
            return "the broker at " + url + " does not speak TLS here: use http://";
        }
        return handshake ? "the TLS handshake failed: " + root.getMessage() : null;
    }

    private static boolean hasCause(Throwable e, Class<?> type, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t) || String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }
}
