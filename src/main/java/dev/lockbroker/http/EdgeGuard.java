package dev.lockbroker.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a declared body over the limit before anything reads it, so a client that sent
 * {@code Expect: 100-continue} gets 413 instead of {@code 100 Continue}.
 */
final class EdgeGuard extends Handler.Wrapper {
    private final long maxBodyBytes;

    EdgeGuard(Handler next, long maxBodyBytes) {
        super(next);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() > maxBodyBytes) {
            EdgeErrors.write(request, response, callback, 413, "the body is over " + maxBodyBytes + " bytes");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
