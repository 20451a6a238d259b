package dev.lockbroker.store.s3;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The HTTP client every S3 request of a connection goes through, counting them by kind — each
 * attempt, retries included — since S3 bills requests and a grant's cost is counted in them.
 */
final class CountingHttpClient implements SdkHttpClient {
    /** What an S3 request is, as billed. */
    enum Kind {
        PUT,
        GET,
        HEAD,
        LIST,
        DELETE,
        OTHER;

        static Kind of(SdkHttpRequest request) {
            return switch (request.method()) {
                case PUT -> PUT;
                case GET -> request.rawQueryParameters().containsKey("list-type") ? LIST : GET;
                case HEAD -> HEAD;
                case DELETE -> DELETE;
                case POST -> request.rawQueryParameters().containsKey("delete") ? DELETE : OTHER;
                default -> OTHER;
            };
        }
    }

    private final SdkHttpClient delegate;
    private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

    CountingHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
        for (Kind kind : Kind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        counts.get(Kind.of(request.httpRequest())).increment();
        return delegate.prepareRequest(request);
    }

    /** The requests sent so far, by kind, lower-case. */
    Map<String, LongSupplier> counts() {
        Map<String, LongSupplier> out = new LinkedHashMap<>();
        counts.forEach((kind, adder) -> out.put(kind.name().toLowerCase(Locale.ROOT), adder::sum));
        return out;
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
