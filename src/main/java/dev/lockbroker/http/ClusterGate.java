package dev.lockbroker.http;

import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Ownership;
import dev.lockbroker.core.Route;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routing and self-fencing for a broker in a group: every request about one namespace is answered
 * only by the owner of that namespace's partition. Before the handler, a request for a namespace
 * owned elsewhere is answered 307 to the owner, and one this broker may not answer now 503. After
 * the handler, a success is checked again: an owner whose ownership ran out while the request was
 * being served answers 503 instead, so no acknowledgement leaves after its fencing time.
 *
 * <p>Thread-safe: {@link Ownership} is; this holds no state.
 */
final class ClusterGate {
    /** What the gate did, for metrics: {@code redirected} or {@code fenced}. */
    static final String REDIRECTED = "redirected";

    static final String FENCED = "fenced";

    private static final Pattern NAMESPACE_PATH = Pattern.compile("^/v1/namespaces/([^/]+)/.*");
    private static final Pattern ID_PATH = Pattern.compile("^/v1/(?:leases|tickets)/([^/]+).*");
    private static final String ROUTED = "lockbroker.routed-namespace";

    private final Ownership ownership;
    private final Consumer<String> observer;

    ClusterGate(Ownership ownership, Consumer<String> observer) {
        this.ownership = ownership;
        this.observer = observer;
    }

    void register(RoutesConfig routes) {
        routes.before(this::before);
        routes.after(this::after);
        routes.get("/v1/cluster", ctx -> ctx.json(ClusterJson.of(ownership)));
    }

    private void before(Context ctx) {
        Optional<String> namespace = namespaceOf(ctx.path());
        if (namespace.isEmpty()) {
            return;
        }
        switch (ownership.route(namespace.get())) {
            case Route.Local local -> ctx.attribute(ROUTED, namespace.get());
            case Route.Remote remote -> {
                observer.accept(REDIRECTED);
                String query = ctx.queryString();
                throw new NotOwnerException(
                        "namespace " + namespace.get() + " is served by broker " + remote.brokerId(),
                        stripSlash(remote.url()) + ctx.path() + (query == null ? "" : "?" + query));
            }
            case Route.Unavailable unavailable -> {
                observer.accept(FENCED);
                throw new FencedException(unavailable.reason());
            }
        }
    }

    private void after(Context ctx) {
        String namespace = ctx.attribute(ROUTED);
        if (namespace == null || ctx.statusCode() >= 300) {
            return;
        }
        if (!(ownership.route(namespace) instanceof Route.Local)) {
            observer.accept(FENCED);
            ctx.removeHeader("Location");
            ErrorMapper.fenced(ctx, "ownership of namespace " + namespace + " ran out while answering");
        }
    }

    /** The namespace a /v1 path is about: named in it, or in the lease or ticket id it names. */
    static Optional<String> namespaceOf(String path) {
        Matcher byName = NAMESPACE_PATH.matcher(path);
        if (byName.matches()) {
            return Optional.of(byName.group(1));
        }
        Matcher byId = ID_PATH.matcher(path);
        return byId.matches() ? LockService.namespaceOfId(byId.group(1)) : Optional.empty();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
