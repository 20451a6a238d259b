package dev.lockbroker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.MemoryLeaseLog;
import dev.lockbroker.support.InProcessBroker;
import dev.lockbroker.support.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The CLI's socket transport against the real broker, and against a raw server for what the broker does not do. */
class PlainHttpTransportTest {
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @Test
    void a_short_lived_client_waits_holds_heartbeats_reports_and_releases_against_the_broker() throws Exception {
        try (InProcessBroker broker = new InProcessBroker(new MemoryLeaseLog(), 1_000, 10_000)) {
            LockClient client = LockClient.createForShortLivedProcess(URI.create(broker.url()), Optional.empty());
            LockRequest request = LockRequest.exclusive("plain", "a", Duration.ofSeconds(30));
            Lease first = client.acquire(request, TEN_SECONDS);

            assertThatThrownBy(() -> client.acquireUnmanaged(request, Duration.ZERO, t -> {}))
                    .isInstanceOfSatisfying(
                            LockTimeoutException.class,
                            e -> assertThat(e.reason()).isEqualTo("busy"));
            CompletableFuture<LeaseInfo> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.acquireUnmanaged(request, TEN_SECONDS, t -> {});
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Poll.until("the second is queued", TEN_SECONDS, () -> second.isDone() || waiting(client) == 1);
            assertThat(client.heartbeat(first.leaseId()).fencingToken()).isEqualTo(first.fencingToken());
            assertThat(client.namespaces())
                    .anySatisfy(s -> assertThat(s.namespace()).isEqualTo("plain"));
            assertThat(client.statusJsonText("plain")).contains("\"namespace\" : \"plain\"");
            first.release();
            LeaseInfo granted = second.get(10, TimeUnit.SECONDS);
            assertThat(granted.fencingToken()).isGreaterThan(first.fencingToken());
            client.release(granted.leaseId());
            assertThatThrownBy(() -> client.heartbeat(granted.leaseId())).isInstanceOf(LeaseLostException.class);
        }
    }

    @Test
    void reads_a_chunked_body_and_the_location() throws Exception {
        String answer = "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\nLocation: /v1/tickets/t\r\n\r\n"
                + "5;ext=1\r\n{\"a\":\r\n3\r\n42}\r\n0\r\nTrailer: x\r\n\r\n";
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<String> request = serveOnce(server, answer);

            HttpTransport.Answer got = new PlainHttpTransport()
                    .exchange("POST", url(server, "/v1/x?y=1"), "{}", Optional.of("tok"), TEN_SECONDS);

            assertThat(got).isEqualTo(new HttpTransport.Answer(202, "{\"a\":42}", "/v1/tickets/t"));
            assertThat(request.get(10, TimeUnit.SECONDS))
                    .startsWith("POST /v1/x?y=1 HTTP/1.1\r\n")
                    .contains("Authorization: Bearer tok\r\n", "Content-Length: 2\r\n", "Connection: close\r\n")
                    .endsWith("\r\n\r\n{}");
        }
    }

    @Test
    void a_silent_broker_times_out_and_an_interrupt_ends_the_wait() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            assertThatThrownBy(() -> new PlainHttpTransport()
                            .exchange("GET", url(server, "/"), null, Optional.empty(), Duration.ofMillis(200)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);

            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    new PlainHttpTransport()
                            .exchange("GET", url(server, "/"), null, Optional.empty(), Duration.ofMinutes(5));
                } catch (Exception e) {
                    thrown.set(e);
                }
            });
            try (Socket accepted = server.accept()) {
                caller.interrupt();
                caller.join(TimeUnit.MINUTES.toMillis(1));
            }
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        }
    }

    private static int waiting(LockClient client) {
        try {
            return client.status("plain").waiting();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI url(ServerSocket server, String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    /** Accepts one connection, reads the request (head and the body its Content-Length declares), answers {@code answer}. */
    private static CompletableFuture<String> serveOnce(ServerSocket server, String answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                StringBuilder request = new StringBuilder();
                while (!request.toString().endsWith("\r\n\r\n")) {
                    request.append((char) in.read());
                }
                int length = Integer.parseInt(request.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                request.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                socket.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                return request.toString();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
