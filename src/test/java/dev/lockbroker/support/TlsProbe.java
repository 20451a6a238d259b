package dev.lockbroker.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Raw TLS and plain sockets to a broker: which certificate a new connection is served, raw exchanges. */
public final class TlsProbe {
    private static final int TIMEOUT_MILLIS = 5_000;

    private TlsProbe() {}

    /** The serial of the leaf certificate a new TLS connection to {@code port} is served. */
    public static BigInteger servedSerial(int port) {
        try (SSLSocket socket = tlsSocket(port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code request} over a new TLS connection and answers what came back until close or timeout. */
    public static String tlsExchange(int port, String request) throws IOException {
        try (SSLSocket socket = tlsSocket(port)) {
            return exchange(socket, request);
        }
    }

    /** Sends {@code request} in plain text and answers what came back until close or timeout. */
    public static String plainExchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return exchange(socket, request);
        }
    }

    private static String exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0 && answer.size() < 1_000_000; ) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // a kept-alive connection: what arrived is the answer
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    /** A TLS socket that accepts any certificate: it only looks at what it is served. */
    private static SSLSocket tlsSocket(int port) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
