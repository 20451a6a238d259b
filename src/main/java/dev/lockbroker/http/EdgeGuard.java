package dev.lockbroker.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a declared body over the limit before anything reads it, so a client that sent
 * {@code Expect: 100-continue} gets 413 instead of {@code 100 Continue}; on a TLS port, refuses a
 * request that arrived in plain HTTP (400 {@code https_required}, connection closed) so neither
 * its token nor its answer crosses the network in clear text more than it already has.
 */
final class EdgeGuard extends Handler.Wrapper {
    private final long maxBodyBytes;
    private final boolean httpsOnly;

    EdgeGuard(Handler next, long maxBodyBytes, boolean httpsOnly) {
        super(next);
        this.maxBodyBytes = maxBodyBytes;
        this.httpsOnly = httpsOnly;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (httpsOnly && !request.isSecure()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            EdgeErrors.write(
                    request,
                    response,
                    callback,
                    400,
                    "https_required",
                    "this port speaks HTTPS only: use https:// (the request was not served)");
            return true;
        }
        if (request.getLength() > maxBodyBytes) {
            EdgeErrors.write(request, response, callback, 413, "the body is over " + maxBodyBytes + " bytes");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
