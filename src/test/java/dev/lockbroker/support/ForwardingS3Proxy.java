package dev.lockbroker.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A plain HTTP relay on 127.0.0.1 in front of an S3 endpoint that counts requests by method, can
 * drop request headers on the way (with {@code If-None-Match} dropped it plays a store that ignores
 * conditional creates), can play a store that checks then writes ({@link #startCheckThenWrite}), and
 * can inject faults into PUTs: refuse them with an error, forward them and answer 500 or not at all
 * (the connection closed unanswered after the write reached the store), or hold
 * one until the test releases it; or blackhole everything (a network partition: requests are held
 * unanswered, then their connection dropped). Counters and fault queues are thread-safe; the relay serves on virtual threads.
 */
public final class ForwardingS3Proxy implements AutoCloseable {
    /** Headers java.net.http sets itself and refuses from callers, plus hop-by-hop ones. */
    private static final Set<String> NOT_RELAYED = Set.of(
            "connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "keep-alive", "date");

    private final URI upstream;
    private final Set<String> droppedHeaders;
    private final boolean checkThenWrite;
    private volatile boolean blackholed;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, LongAdder> requestsByMethod = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestsByHeader = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestsByFragment = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final java.util.concurrent.ConcurrentLinkedQueue<Fault> putFaults =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * What happens to one PUT: refused with {@code status} and {@code code} unseen, or forwarded and
     * answered {@code status}, or (with {@code answered} false) forwarded and left unanswered.
     */
    private record Fault(int status, String code, boolean forward, boolean answered) {
        Fault(int status, String code, boolean forward) {
            this(status, code, forward, true);
        }
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<HeldPut> heldPuts =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * One PUT the relay holds, as a network or a paused writer would: {@link #awaitArrival} returns once
     * it reached the relay, {@link #release} lets it go on to the store (after 60 s it goes anyway).
     */
    public static final class HeldPut {
        private final java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        public boolean awaitArrival(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        public void release() {
            released.countDown();
        }

        private void hold() throws InterruptedException {
            arrived.countDown();
            released.await(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private ForwardingS3Proxy(URI upstream, Set<String> droppedHeaders, boolean checkThenWrite) throws IOException {
        this.upstream = upstream;
        this.droppedHeaders = droppedHeaders;
        this.checkThenWrite = checkThenWrite;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::relay);
    }

    /** Starts a relay to {@code upstream} that drops the named request headers (any case). */
    public static ForwardingS3Proxy start(URI upstream, String... droppedHeaders) {
        Set<String> dropped = new java.util.HashSet<>();
        for (String header : droppedHeaders) {
            dropped.add(header.toLowerCase(Locale.ROOT));
        }
        return start(upstream, Set.copyOf(dropped), false);
    }

    /**
     * Starts a relay that serializes nothing: it answers a create-only PUT ({@code If-None-Match: *})
     * by asking the store whether the key exists (HEAD) and, when it does not, forwarding the PUT
     * without the condition. A second PUT after the first still gets 412; PUTs that arrive together
     * may all win. (The upstream must accept unsigned HEADs, as S3Proxy here does.)
     */
    public static ForwardingS3Proxy startCheckThenWrite(URI upstream) {
        return start(upstream, Set.of("if-none-match"), true);
    }

    private static ForwardingS3Proxy start(URI upstream, Set<String> dropped, boolean checkThenWrite) {
        try {
            ForwardingS3Proxy proxy = new ForwardingS3Proxy(upstream, dropped, checkThenWrite);
            proxy.server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests relayed so far with {@code method} (GET, HEAD, PUT...). */
    public long requests(String method) {
        LongAdder count = requestsByMethod.get(method);
        return count == null ? 0 : count.sum();
    }

    /** Requests relayed so far, all methods. */
    public long requests() {
        return requestsByMethod.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /**
     * From now on, counts the requests whose URL-decoded path and query contain {@code fragment}
     * (a key prefix: GET, HEAD and PUT name it in the path, LIST in its prefix parameter).
     */
    public void countNaming(String fragment) {
        requestsByFragment.putIfAbsent(fragment, new LongAdder());
    }

    /** Requests counted by {@link #countNaming} for {@code fragment} so far. */
    public long requestsNaming(String fragment) {
        LongAdder count = requestsByFragment.get(fragment);
        return count == null ? 0 : count.sum();
    }

    /** Requests relayed so far that carried {@code header} (any case), dropped or not. */
    public long requestsCarrying(String header) {
        LongAdder count = requestsByHeader.get(header.toLowerCase(Locale.ROOT));
        return count == null ? 0 : count.sum();
    }

    /** The next {@code count} PUTs are answered {@code status} with S3 error {@code code}, unforwarded. */
    public void refuseNextPuts(int count, int status, String code) {
        for (int i = 0; i < count; i++) {
            putFaults.add(new Fault(status, code, false));
        }
    }

    /** The next {@code count} PUTs reach the store, but the client is told 500 InternalError. */
    public void loseNextPutAnswers(int count) {
        for (int i = 0; i < count; i++) {
            putFaults.add(new Fault(500, "InternalError", true));
        }
    }

    /** The next {@code count} PUTs reach the store, and their connection is closed unanswered. */
    public void dropNextPutAnswers(int count) {
        for (int i = 0; i < count; i++) {
            putFaults.add(new Fault(0, "", true, false));
        }
    }

    /**
     * While on, every request is held unanswered and its connection dropped when the blackhole ends
     * (or after 30 s): the store is unreachable from behind this relay, as in a network partition.
     */
    public void blackhole(boolean on) {
        blackholed = on;
    }

    /** The next PUT is held until the returned handle releases it. */
    public HeldPut holdNextPut() {
        HeldPut held = new HeldPut();
        heldPuts.add(held);
        return held;
    }

    public void resetCounts() {
        requestsByMethod.clear();
        requestsByHeader.clear();
        requestsByFragment.values().forEach(LongAdder::reset);
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            requestsByMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
            exchange.getRequestHeaders()
                    .keySet()
                    .forEach(name -> requestsByHeader
                            .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new LongAdder())
                            .increment());
            if (!requestsByFragment.isEmpty()) {
                String uri = java.net.URLDecoder.decode(
                        exchange.getRequestURI().toString(), java.nio.charset.StandardCharsets.UTF_8);
                requestsByFragment.forEach((fragment, count) -> {
                    if (uri.contains(fragment)) {
                        count.increment();
                    }
                });
            }
            if (blackholed) {
                for (int waited = 0; blackholed && waited < 30_000; waited += 20) {
                    Thread.sleep(20);
                }
                return; // closed unanswered
            }
            HeldPut held = method.equals("PUT") ? heldPuts.poll() : null;
            if (held != null) {
                held.hold();
            }
            Fault fault = method.equals("PUT") ? putFaults.poll() : null;
            if (fault != null) {
                if (fault.forward()) {
                    forward(exchange, method);
                }
                if (fault.answered()) {
                    sendError(exchange, fault);
                }
                return;
            }
            if (checkThenWrite && exchange.getRequestHeaders().containsKey("If-None-Match") && exists(exchange)) {
                sendError(exchange, new Fault(412, "PreconditionFailed", false));
                return;
            }
            HttpResponse<byte[]> answer = forward(exchange, method);
            answer.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":") && !NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = answer.body();
            boolean bodyless = method.equals("HEAD") || body.length == 0;
            exchange.sendResponseHeaders(answer.statusCode(), bodyless ? -1 : body.length);
            if (!bodyless) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sendError(HttpExchange exchange, Fault fault) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + fault.code()
                        + "</Code><Message>injected by ForwardingS3Proxy</Message></Error>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(fault.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private boolean exists(HttpExchange exchange) throws IOException, InterruptedException {
        HttpRequest head = HttpRequest.newBuilder(
                        upstream.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(5))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build();
        return client.send(head, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String method)
            throws IOException, InterruptedException {
        byte[] requestBody;
        try (InputStream in = exchange.getRequestBody()) {
            requestBody = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        upstream.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(5))
                .method(
                        method,
                        requestBody.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        exchange.getRequestHeaders().forEach((name, values) -> copyHeader(request, name, values));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void copyHeader(HttpRequest.Builder request, String name, List<String> values) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (NOT_RELAYED.contains(lower) || droppedHeaders.contains(lower)) {
            return;
        }
        values.forEach(value -> request.header(name, value));
    }
}
