package dev.lockbroker.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.Mode;
import dev.lockbroker.http.HttpSettings;
import dev.lockbroker.http.RequestObserver;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.ExclusionChecker;
import dev.lockbroker.support.HoldingClient;
import dev.lockbroker.support.InProcessBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and malformed requests against one live broker, over raw sockets and through the JDK
 * HTTP client: every answer is JSON, carries an X-Request-Id, has a status openapi.yaml declares
 * for the operation, and is never a 5xx. Afterwards the same broker still keeps mutual exclusion,
 * and its store restarts cleanly. The long version is {@link EdgeFuzzMain}.
 */
class StrictEdgeFuzzTest {
    private static final long HEADER_TIMEOUT_MILLIS = 1_000;
    private static Path dir;
    private static InProcessBroker broker;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("edge-fuzz");
        broker = startBroker();
    }

    private static InProcessBroker startBroker() {
        HttpSettings settings = new HttpSettings(1_000, null, RequestObserver.NONE, null, HEADER_TIMEOUT_MILLIS);
        return new InProcessBroker(new FileLeaseLog(dir), settings, 3_000, LockEventListener.NONE);
    }

    @Property(tries = 400)
    void raw_requests_get_declared_json_answers(@ForAll("raw") EdgeRequests.Raw raw) throws IOException {
        var responses = RawHttp.exchange(broker.port(), raw.bytes(), raw.heads(), 5_000);
        assertThat(EdgeVerdict.problems(raw, responses, new EdgeVerdict.Tally()))
                .as("answers to %s", raw)
                .isEmpty();
    }

    @Property(tries = 150)
    void client_requests_get_declared_json_answers(@ForAll("client") EdgeRequests.ClientRequest request)
            throws Exception {
        HttpResponse<byte[]> response;
        // A client per request: a pooled connection that the broker's 1 s idle timeout closes just as
        // the next request goes out answers "no bytes", which says nothing about the broker's answers.
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(broker.url() + request.path()))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
        Map<String, String> headers = new java.util.HashMap<>();
        response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getLast()));
        List<String> problems = new ArrayList<>();
        EdgeVerdict.check(
                request.method(),
                request.path(),
                new RawHttp.Response(response.statusCode(), headers, response.body()),
                problems,
                new EdgeVerdict.Tally());
        assertThat(problems).as("answer to %s", request).isEmpty();
    }

    @Provide
    Arbitrary<EdgeRequests.Raw> raw() {
        return EdgeRequests.requests();
    }

    @Provide
    Arbitrary<EdgeRequests.ClientRequest> client() {
        return EdgeRequests.clientRequests();
    }

    @Example
    void an_oversized_body_is_refused_before_100_continue() throws IOException {
        String head = "POST /v1/namespaces/big/leases HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                + "Content-Type: application/json\r\nContent-Length: 16777216\r\n\r\n";
        assertThat(RawHttp.firstStatusLine(broker.port(), head.getBytes(StandardCharsets.US_ASCII), 5_000))
                .startsWith("HTTP/1.1 413");
    }

    @Example
    void broken_chunked_bodies_answer_400_json() throws IOException {
        for (String chunks : List.of("ffffffffffffffff\r\nabc\r\n0\r\n\r\n", "-1\r\n\r\n", "10\r\nabc")) {
            String request = "POST /v1/namespaces/chunks/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
            var responses =
                    RawHttp.exchange(broker.port(), request.getBytes(StandardCharsets.US_ASCII), List.of(false), 5_000);
            assertThat(responses).as(chunks).hasSize(1);
            assertThat(responses.getFirst().status()).as(chunks).isEqualTo(400);
            assertThat(responses.getFirst().bodyText()).contains("\"error\":\"invalid_request\"");
        }
    }

    @Example
    void a_request_head_trickled_byte_by_byte_is_cut_off() throws Exception {
        byte[] head = "GET /v1/namespaces HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", broker.port()), 2_000);
            socket.setSoTimeout(200);
            InputStream in = socket.getInputStream();
            boolean closed = false;
            // Bounded: 100 bytes at 200 ms apart is 20 s, far past the 1 s deadline; idle never fires.
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    socket.getOutputStream().write(head[Math.min(i, head.length - 1)]);
                    closed = in.read() == -1;
                } catch (java.net.SocketTimeoutException e) {
                    // still open; send the next byte
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("connection closed by the header deadline").isTrue();
        }
    }

    @AfterContainer
    static void exclusion_holds_and_the_store_restarts_after_the_fuzz() throws Exception {
        try {
            List<ExclusionChecker.Hold> holds = new ArrayList<>();
            HoldingClient client = new HoldingClient(new ApiClient(broker.url()));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<ExclusionChecker.Hold>> futures = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int order = i;
                    futures.add(pool.submit(() -> client.hold(order, new LockKey("fz", "after"), Mode.EXCLUSIVE, 5)));
                }
                for (Future<ExclusionChecker.Hold> f : futures) {
                    holds.add(f.get(60, TimeUnit.SECONDS));
                }
            }
            // Holds started concurrently, so only exclusion and unique tokens are claimed, not FIFO.
            ExclusionChecker.check(holds.stream()
                    .map(h -> new ExclusionChecker.Hold(
                            0, h.key(), h.mode(), h.token(), h.requestedNanos(), h.startNanos(), h.endNanos()))
                    .toList());
        } finally {
            broker.close();
        }
        broker = startBroker();
        try {
            ApiClient api = new ApiClient(broker.url());
            assertThat(api.get("/readyz").status()).isEqualTo(200);
            var lease = api.acquire("fz-restart", "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"after\"}}");
            assertThat(lease.status()).isEqualTo(201);
        } finally {
            broker.close();
        }
    }
}
