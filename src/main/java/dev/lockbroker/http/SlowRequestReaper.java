package dev.lockbroker.http;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * The deadline for a request's head: a connection whose request line and headers have been arriving
 * for longer than it is closed. Jetty's idle timeout restarts on every byte, so a client trickling a
 * byte every few seconds would keep a connection forever. (Bodies have Jetty's minimum data rate.)
 *
 * <p>Concurrency contract: one scanner thread owns {@code progress}; it reads parser state that
 * Jetty's threads write, so a phase may be seen one scan late, which only delays a close by a scan.
 */
final class SlowRequestReaper implements AutoCloseable {
    private static final long SCAN_PERIOD_MILLIS = 500;

    /** Which request of a connection was seen arriving since when, with how many bytes in then. */
    private record Progress(long messagesIn, long bytesIn, long sinceNanos) {}

    private final Server server;
    private final long headerNanos;
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("http-deadlines").factory());
    private Map<EndPoint, Progress> progress = new HashMap<>();

    SlowRequestReaper(Server server, long headerMillis) {
        this.server = server;
        this.headerNanos = TimeUnit.MILLISECONDS.toNanos(headerMillis);
    }

    void start() {
        var unused = scanner.scheduleWithFixedDelay(
                this::scanQuietly, SCAN_PERIOD_MILLIS, SCAN_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        // scanQuietly reports its own failures, so the future has nothing to tell
    }

    private void scanQuietly() {
        try {
            scan(System.nanoTime());
        } catch (RuntimeException e) {
            // a connection closing under the scan; the next scan sees the rest
        }
    }

    private void scan(long nowNanos) {
        Map<EndPoint, Progress> next = new HashMap<>();
        for (Connector connector : server.getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                HttpConnection http = http(endPoint.getConnection());
                if (http == null || !isReadingHead(http.getParser())) {
                    continue;
                }
                Progress seen = progress.get(endPoint);
                if (seen == null || seen.messagesIn() != http.getMessagesIn()) {
                    seen = new Progress(http.getMessagesIn(), http.getBytesIn(), nowNanos);
                }
                // Only a head still trickling in: a silent connection is the idle timeout's to close.
                if (nowNanos - seen.sinceNanos() > headerNanos && http.getBytesIn() != seen.bytesIn()) {
                    endPoint.close(new TimeoutException("the request head arrived too slowly"));
                } else {
                    next.put(endPoint, seen);
                }
            }
        }
        progress = next;
    }

    private static HttpConnection http(Connection connection) {
        if (connection instanceof SslConnection tls) {
            connection = tls.getSslEndPoint().getConnection();
        }
        return connection instanceof HttpConnection http ? http : null;
    }

    /** Past the first byte of a request and not yet through its headers. */
    private static boolean isReadingHead(HttpParser parser) {
        return !parser.isStart() && !parser.isClosed() && parser.inHeaderState();
    }

    @Override
    public void close() {
        scanner.shutdownNow();
    }
}
