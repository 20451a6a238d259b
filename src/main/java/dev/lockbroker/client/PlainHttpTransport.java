package dev.lockbroker.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Plain HTTP/1.1 on a socket of its own per exchange ({@code Connection: close}), for short-lived
 * processes such as the CLI: no selector thread, no connection pool, a handful of classes, where the
 * JDK's HttpClient loads hundreds. Bodies by Content-Length, chunked, or up to the close. An interrupt
 * of the calling thread ends the exchange with {@link InterruptedException}, as with the JDK client:
 * reads wait in slices of {@value #READ_SLICE_MILLIS} ms and look for it in between (a plain socket's
 * read cannot be interrupted, and a {@code SocketChannel}, which can, costs a short command tens of
 * milliseconds to set up its selector provider); a connect is not interrupted, and takes at most 3 s.
 * Thread-safe: it holds no state.
 */
final class PlainHttpTransport implements HttpTransport {
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    static final int READ_SLICE_MILLIS = 100;

    @Override
    public Answer exchange(String method, URI target, String body, Optional<String> bearerToken, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            int connectMillis = millis(Math.min(CONNECT_TIMEOUT_NANOS, deadline - System.nanoTime()));
            if (connectMillis < 0) {
                throw new SocketTimeoutException("request timed out");
            }
            socket.connect(address(target), connectMillis);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            socket.getOutputStream().write(request(method, target, body, bearerToken));
            return new Reader(socket, deadline).answer(method);
        }
    }

    private static InetSocketAddress address(URI target) {
        String host = target.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, target.getPort() < 0 ? 80 : target.getPort());
    }

    private static byte[] request(String method, URI target, String body, Optional<String> bearerToken) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        String host = target.getHost() + (target.getPort() < 0 ? "" : ":" + target.getPort());
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(path)
                .append(query)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(host)
                .append("\r\n")
                .append("Accept: application/json\r\n")
                .append("Connection: close\r\n")
                .append("User-Agent: lockbroker-cli\r\n");
        bearerToken.ifPresent(
                token -> head.append("Authorization: Bearer ").append(token).append("\r\n"));
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    private static int millis(long nanos) {
        if (nanos <= 0) {
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
    }

    /** Reads one answer from the socket, each read bounded by what is left of the deadline. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;

        Reader(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        Answer answer(String method) throws IOException, InterruptedException {
            while (true) {
                String statusLine = line();
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new ProtocolException("not an HTTP/1.1 status line: " + statusLine);
                }
                int status = parseStatus(parts[1]);
                long length = -1;
                boolean chunked = false;
                String location = null;
                for (String header = line(); !header.isEmpty(); header = line()) {
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        throw new ProtocolException("malformed header: " + header);
                    }
                    String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).strip();
                    switch (name) {
                        case "content-length" -> length = parseLength(value);
                        case "transfer-encoding" ->
                            chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "location" -> location = value;
                        default -> {}
                    }
                }
                if (status >= 100 && status < 200) {
                    continue; // an interim answer: the real one follows
                }
                boolean empty = status == 204 || status == 304 || method.equals("HEAD");
                String body = empty ? "" : body(chunked, length);
                return new Answer(status, body, location);
            }
        }

        private String body(boolean chunked, long length) throws IOException, InterruptedException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = chunkSize(line()); size > 0; size = chunkSize(line())) {
                    copy(out, size);
                    if (!line().isEmpty()) {
                        throw new ProtocolException("a chunk did not end with CRLF");
                    }
                }
                while (!line().isEmpty()) {
                    // trailers: ignored
                }
            } else if (length >= 0) {
                copy(out, length);
            } else {
                while (fill()) {
                    out.write(buffer, position, limit - position);
                    position = limit;
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        private void copy(ByteArrayOutputStream out, long count) throws IOException, InterruptedException {
            long left = count;
            while (left > 0) {
                if (position == limit && !fill()) {
                    throw new ProtocolException("the broker closed the connection mid-body");
                }
                int n = (int) Math.min(left, limit - position);
                out.write(buffer, position, n);
                position += n;
                left -= n;
            }
        }

        /** A line without its CRLF, in ISO-8859-1 as HTTP heads are. */
        private String line() throws IOException, InterruptedException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (position == limit && !fill()) {
                    throw new ProtocolException("the broker closed the connection mid-answer");
                }
                char c = (char) (buffer[position++] & 0xFF);
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                if (line.length() >= MAX_HEAD_BYTES) {
                    throw new ProtocolException("an answer line over " + MAX_HEAD_BYTES + " bytes");
                }
                line.append(c);
            }
        }

        /** Reads more into the buffer; false at end of stream. */
        private boolean fill() throws IOException, InterruptedException {
            while (true) {
                int timeoutMillis = millis(deadline - System.nanoTime());
                if (timeoutMillis < 0) {
                    throw new SocketTimeoutException("request timed out");
                }
                socket.setSoTimeout(Math.min(timeoutMillis, READ_SLICE_MILLIS));
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return false;
                    }
                    position = 0;
                    limit = n;
                    return true;
                } catch (SocketTimeoutException e) {
                    // One slice passed; the socket is still usable.
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            }
        }

        private static int parseStatus(String text) throws ProtocolException {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad status " + text);
            }
        }

        private static long parseLength(String text) throws ProtocolException {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad Content-Length " + text);
            }
        }

        private static long chunkSize(String line) throws ProtocolException {
            int semicolon = line.indexOf(';');
            String size = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
            try {
                return Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size " + size);
            }
        }
    }
}
