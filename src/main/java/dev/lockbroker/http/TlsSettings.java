package dev.lockbroker.http;

import java.nio.file.Path;

/**
 * Where the broker's TLS identity comes from: a PEM certificate chain and private key, or a PKCS12
 * keystore and its password; and how often the files are checked for a replacement.
 */
public record TlsSettings(
        Path certificateFile, Path privateKeyFile, Path keystoreFile, String keystorePassword, long reloadCheckMillis) {
    public static final long DEFAULT_RELOAD_CHECK_MILLIS = 10_000;

    public TlsSettings {
        boolean pem = certificateFile != null || privateKeyFile != null;
        if (pem == (keystoreFile != null)) {
            throw new IllegalArgumentException("TLS needs either --tls-cert with --tls-key, or --tls-keystore");
        }
        if (pem && (certificateFile == null || privateKeyFile == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (keystoreFile != null && keystorePassword == null) {
            throw new IllegalArgumentException("--tls-keystore needs its password (--tls-keystore-password-env)");
        }
        if (reloadCheckMillis < 100) {
            throw new IllegalArgumentException("the TLS reload check period must be at least 100 ms");
        }
    }

    /** HTTPS from a PEM certificate chain (leaf first) and its private key. */
    public static TlsSettings pem(Path certificateFile, Path privateKeyFile, long reloadCheckMillis) {
        return new TlsSettings(certificateFile, privateKeyFile, null, null, reloadCheckMillis);
    }

    /** HTTPS from a PKCS12 keystore holding one key entry. */
    public static TlsSettings pkcs12(Path keystoreFile, String password, long reloadCheckMillis) {
        return new TlsSettings(null, null, keystoreFile, password, reloadCheckMillis);
    }

    /** The files whose change means a new identity. */
    java.util.List<Path> files() {
        return keystoreFile == null
                ? java.util.List.of(certificateFile, privateKeyFile)
                : java.util.List.of(keystoreFile);
    }

    @Override
    public String toString() { // the password stays out of logs
        return keystoreFile == null ? "PEM " + certificateFile + " + " + privateKeyFile : "PKCS12 " + keystoreFile;
    }
}
