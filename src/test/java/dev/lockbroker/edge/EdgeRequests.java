package dev.lockbroker.edge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random and malformed HTTP requests for the broker's edge: odd methods and versions, names with
 * unicode and control characters, bad numbers, broken JSON, broken chunked bodies, oversized and
 * malformed headers, and pipelined pairs.
 */
public final class EdgeRequests {
    /** A request as sent: its bytes, and per pipelined request its method and path as written. */
    public record Raw(byte[] bytes, List<String> methods, List<String> paths) {
        public List<Boolean> heads() {
            return methods.stream().map("HEAD"::equals).toList();
        }

        @Override
        public String toString() {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            return text.length() > 600 ? text.substring(0, 600) + "...(" + bytes.length + " bytes)" : text;
        }
    }

    /** A well-formed HTTP request with fuzzed path, query and JSON body, for the JDK client. */
    public record ClientRequest(String method, String path, String body) {}

    private record Part(String method, String path, String version, List<String> headers, byte[] body) {}

    private EdgeRequests() {}

    public static Arbitrary<Raw> requests() {
        Arbitrary<Part> part = Combinators.combine(methods(), paths(), versions(), headers(), bodies())
                .as((m, p, v, h, b) -> framed(m, p, v, h, b));
        return Arbitraries.oneOf(
                part.map(EdgeRequests::single),
                part.list().ofMinSize(2).ofMaxSize(3).map(EdgeRequests::pipelined));
    }

    public static Arbitrary<ClientRequest> clientRequests() {
        Arbitrary<String> name = names().map(n -> java.net.URLEncoder.encode(n, StandardCharsets.UTF_8))
                .filter(n -> n.length() < 2_000);
        Arbitrary<String> path = Combinators.combine(
                        Arbitraries.of(
                                "/v1/namespaces/{n}/leases",
                                "/v1/namespaces/{n}/locks",
                                "/v1/tickets/{n}",
                                "/v1/leases/{n}/heartbeat",
                                "/v1/leases/{n}",
                                "/v1/leases/{n}/revoke",
                                "/v1/namespaces/{n}/locks?shard={n}&fencingToken=-1&reason={n}"),
                        name)
                .as((t, n) -> t.replace("{n}", n));
        Arbitrary<String> body = bodies().map(b -> new String(b.bytes(), StandardCharsets.UTF_8));
        return Combinators.combine(Arbitraries.of("GET", "POST", "DELETE", "PUT", "PATCH"), path, body)
                .as(ClientRequest::new);
    }

    private static Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(
                Tuple.of(18, Arbitraries.frequency(Tuple.of(6, "GET"), Tuple.of(8, "POST"), Tuple.of(4, "DELETE"))),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                "HEAD",
                                "PUT",
                                "PATCH",
                                "OPTIONS",
                                "TRACE",
                                "CONNECT",
                                "get",
                                "PRI",
                                "BREW",
                                "G\u0000ET",
                                "P OST",
                                "X".repeat(300))));
    }

    private static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("fz", "fz-2", "a.b_c", "fz~x")),
                Tuple.of(
                        3,
                        Arbitraries.of(
                                "",
                                "..",
                                "%00",
                                "%2F",
                                "%ZZ",
                                "%C3%BC",
                                "a%20b",
                                "\u00fc",
                                "\u2603",
                                "\t",
                                "a\u0001b",
                                "%0d%0aX:1",
                                "x".repeat(200),
                                ";",
                                "*")),
                // Spaces and line breaks would move where the path ends, so the verdict could not know it.
                Tuple.of(
                        2,
                        Arbitraries.strings()
                                .all()
                                .ofMaxLength(20)
                                .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                                        .replaceAll("[ \\r\\n?#]", "%20"))),
                Tuple.of(1, Arbitraries.just("n".repeat(20_000))));
    }

    private static Arbitrary<String> paths() {
        Arbitrary<String> query = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just("")),
                Tuple.of(
                        3,
                        Arbitraries.of("0", "1", "-1", "abc", "1.5", "", "99999999999999999999", "3601", "%00", "1e3")
                                .map(w -> "?waitSeconds=" + w)),
                Tuple.of(1, Arbitraries.of("?shard=", "?x=%ZZ", "?&&==", "?" + "q".repeat(9_000))));
        Arbitrary<String> template = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just("/v1/namespaces/{n}/leases")),
                Tuple.of(
                        6,
                        Arbitraries.of(
                                "/v1/namespaces/{n}/locks",
                                "/v1/namespaces",
                                "/v1/tickets/{n}",
                                "/v1/leases/{n}/heartbeat",
                                "/v1/leases/{n}",
                                "/v1/leases/{n}/revoke",
                                "/v1/namespaces/{n}/locks?shard=s&reason=fz")),
                Tuple.of(
                        3,
                        Arbitraries.of(
                                "/healthz",
                                "/readyz",
                                "/metrics",
                                "/",
                                "/v2/{n}",
                                "*",
                                "http://127.0.0.1/v1/namespaces",
                                "/v1/namespaces/{n}/leases/../../x",
                                "//v1//namespaces")));
        return Combinators.combine(template, names(), query).as((t, n, q) -> t.replace("{n}", n) + q);
    }

    private static Arbitrary<String> versions() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("HTTP/1.1")),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1.1x", "", "http/1.1", "HTTP/1.1\u0000")));
    }

    private static Arbitrary<List<String>> headers() {
        Arbitrary<String> one = Arbitraries.oneOf(
                Arbitraries.of(
                        "Content-Type: application/json",
                        "Content-Type: text/plain",
                        "Accept: text/html",
                        "Accept: */*",
                        "Expect: 100-continue",
                        "Expect: nonsense",
                        "Connection: close",
                        "Transfer-Encoding: gzip",
                        "Transfer-Encoding: chunked, gzip",
                        "Content-Length: -1",
                        "Content-Length: abc",
                        "Content-Length: 99999999999999999999",
                        "Content-Length: 16777216",
                        "X-Request-Id: \u00ff\u00fe",
                        "X-Request-Id: " + "r".repeat(500),
                        "Authorization: Bearer x",
                        "Bad Header: x",
                        ": empty-name",
                        "X-Ctl: a\u0001b",
                        "X-Nul: a\u0000b",
                        "Host:",
                        " folded: x",
                        "X-Big: " + "b".repeat(9_000),
                        "Content-Encoding: gzip"),
                Arbitraries.strings().all().ofMaxLength(40).map(s -> "X-Fuzz: " + s));
        Arbitrary<List<String>> many = Arbitraries.just(manyHeaders());
        return Arbitraries.frequencyOf(Tuple.of(9, one.list().ofMaxSize(3)), Tuple.of(1, many));
    }

    private static List<String> manyHeaders() {
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            headers.add("X-H" + i + ": " + "v".repeat(40));
        }
        return headers;
    }

    /** A body and how it is framed: "L" Content-Length, "C" chunked (given verbatim), "N" none. */
    private record Body(char framing, byte[] bytes) {}

    private static Arbitrary<Body> bodies() {
        Arbitrary<String> json = Arbitraries.oneOf(
                Arbitraries.of(
                        "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"fz\"}}",
                        "{\"mode\":\"shared\",\"shard\":\"s\",\"ttlSeconds\":2,\"holder\":{\"name\":\"fz\",\"pid\":1}}",
                        "{\"mode\":\"exclusive\",\"waitSeconds\":1,\"holder\":{\"name\":\"fz\"}}",
                        "{\"mode\":\"exclusive\",\"ttlSeconds\":1e400,\"holder\":{\"name\":\"fz\"}}",
                        "{\"mode\":\"exclusive\",\"ttlSeconds\":-9223372036854775809,\"holder\":{\"name\":\"fz\"}}",
                        "{\"mode\":\"exclusive\",\"ttlSeconds\":2.5,\"holder\":{\"name\":\"fz\"}}",
                        "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"fz\",\"pid\":-1}}",
                        "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"fz\",\"pid\":1e30}}",
                        "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"\u0000\u2603\"}}",
                        "{\"mode\":\"exclusive\",\"holder\":\"fz\"}",
                        "{\"mode\":[],\"holder\":{}}",
                        "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"fz\"},\"shard\":\"\u00fc\"}",
                        "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"fz\"},\"requestId\":\"" + "q".repeat(300)
                                + "\"}",
                        "null",
                        "[]",
                        "\"x\"",
                        "{",
                        "{\"mode\":\"exclusive\",}",
                        "\u00ff\u00fe",
                        "[".repeat(5_000),
                        "{\"reason\":\"fuzz\"}",
                        ""),
                Arbitraries.strings().all().ofMaxLength(60));
        Arbitrary<Body> lengthFramed = json.map(s -> new Body('L', s.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Body> chunked = Arbitraries.of(
                        "ffffffffffffffff\r\nabc\r\n0\r\n\r\n",
                        "-1\r\n\r\n",
                        "zz\r\nabc\r\n0\r\n\r\n",
                        "10\r\nabc",
                        "3\r\nabc\r\n",
                        "3;ext=1\r\n{}x\r\n0\r\n\r\n",
                        "2\r\n{}\r\n0\r\n\r\n",
                        "4\r\nnull\r\n0\r\nX-Trailer: 1\r\n\r\n",
                        "80000000\r\n",
                        "3\r\nabcdef\r\n0\r\n\r\n",
                        "\r\n\r\n")
                .map(s -> new Body('C', s.getBytes(StandardCharsets.ISO_8859_1)));
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new Body('N', new byte[0]))),
                Tuple.of(6, lengthFramed),
                Tuple.of(2, chunked));
    }

    private static Part framed(String method, String path, String version, List<String> headers, Body body) {
        List<String> all = new ArrayList<>();
        all.add("Host: 127.0.0.1");
        all.addAll(headers);
        switch (body.framing()) {
            case 'L' -> all.add("Content-Length: " + body.bytes().length);
            case 'C' -> all.add("Transfer-Encoding: chunked");
            default -> {}
        }
        return new Part(method, path, version, all, body.bytes());
    }

    private static Raw single(Part p) {
        return new Raw(bytes(p), List.of(p.method()), List.of(p.path()));
    }

    private static Raw pipelined(List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(p -> out.writeBytes(bytes(p)));
        return new Raw(
                out.toByteArray(),
                parts.stream().map(Part::method).toList(),
                parts.stream().map(Part::path).toList());
    }

    private static byte[] bytes(Part p) {
        StringBuilder head = new StringBuilder();
        head.append(p.method()).append(' ').append(p.path());
        if (!p.version().isEmpty()) {
            head.append(' ').append(p.version());
        }
        head.append("\r\n");
        p.headers().forEach(h -> head.append(h).append("\r\n"));
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(p.body());
        return out.toByteArray();
    }
}
