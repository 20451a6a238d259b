package dev.lockbroker.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends raw bytes to the broker over a plain socket and splits what comes back into HTTP responses,
 * so malformed requests reach Jetty exactly as written. Bounded: a read waits at most
 * {@code readTimeoutMillis} and at most 1 MiB is kept.
 */
public final class RawHttp {
    private static final int MAX_BYTES = 1 << 20;

    /** One response: status, headers by lower-case name (last wins), body bytes. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {}

    /**
     * Writes {@code request}, half-closes the socket (so the server sees the end of input) and
     * returns every response read. {@code headRequests} says which of the pipelined requests are
     * HEAD, whose responses carry no body.
     */
    public static List<Response> exchange(int port, byte[] request, List<Boolean> headRequests, int readTimeoutMillis)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(readTimeoutMillis);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before reading all of a bad request: read what it said.
            }
            return parse(readAll(socket.getInputStream()), headRequests);
        }
    }

    /** Writes only the head of a request and returns the first response line the server sends. */
    public static String firstStatusLine(int port, byte[] head, int readTimeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(readTimeoutMillis);
            socket.getOutputStream().write(head);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\n' && line.size() < 1_000; b = in.read()) {
                line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1).trim();
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n != -1 && out.size() < MAX_BYTES; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived before the timeout or the reset is what the server said
        }
        return out.toByteArray();
    }

    static List<Response> parse(byte[] bytes, List<Boolean> headRequests) {
        List<Response> responses = new ArrayList<>();
        int[] at = {0};
        int answered = 0;
        while (at[0] < bytes.length) {
            String statusLine = line(bytes, at);
            if (statusLine == null || !statusLine.startsWith("HTTP/")) {
                responses.add(new Response(-1, Map.of("raw", statusLine == null ? "" : statusLine), new byte[0]));
                break;
            }
            String[] parts = statusLine.split(" ", 3);
            int status = parts.length > 1 ? parseInt(parts[1]) : -1;
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(bytes, at); h != null && !h.isEmpty(); h = line(bytes, at)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            h.substring(colon + 1).trim());
                }
            }
            // A HEAD answer has no body, unless the server could not tell it was HEAD (a bad request line).
            boolean head = status >= 200
                    && answered < headRequests.size()
                    && headRequests.get(answered)
                    && (at[0] >= bytes.length || startsWith(bytes, at[0], "HTTP/"));
            byte[] body =
                    status < 200 || head || status == 204 || status == 304 ? new byte[0] : body(bytes, at, headers);
            responses.add(new Response(status, headers, body));
            if (status >= 200) {
                answered++;
            }
        }
        return responses;
    }

    private static byte[] body(byte[] bytes, int[] at, Map<String, String> headers) {
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String size = line(bytes, at); size != null; size = line(bytes, at)) {
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    line(bytes, at);
                    break;
                }
                int end = Math.min(bytes.length, at[0] + n);
                out.write(bytes, at[0], end - at[0]);
                at[0] = end;
                line(bytes, at);
            }
            return out.toByteArray();
        }
        int end = length == null ? bytes.length : Math.min(bytes.length, at[0] + parseInt(length));
        byte[] body = java.util.Arrays.copyOfRange(bytes, at[0], Math.max(at[0], end));
        at[0] = Math.max(at[0], end);
        return body;
    }

    private static boolean startsWith(byte[] bytes, int at, String prefix) {
        return new String(bytes, at, Math.min(prefix.length(), bytes.length - at), StandardCharsets.ISO_8859_1)
                .equals(prefix);
    }

    private static String line(byte[] bytes, int[] at) {
        if (at[0] >= bytes.length) {
            return null;
        }
        int start = at[0];
        int end = start;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        at[0] = Math.min(bytes.length, end + 1);
        int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
        return new String(bytes, start, stop - start, StandardCharsets.ISO_8859_1);
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
