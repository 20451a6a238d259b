package dev.lockbroker.http;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for what never reaches a route: a bad request line, an oversized URI or
 * header block, a malformed header, an unsupported version. Answers JSON instead of Jetty's HTML.
 */
final class EdgeErrorHandler implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
            message = message == null ? http.getReason() : message;
        }
        String text = message == null ? HttpStatus.getMessage(status) : message;
        if (EdgeErrors.declaredStatus(status) != status && !text.equals(HttpStatus.getMessage(status))) {
            text = HttpStatus.getMessage(status) + ": " + text;
        }
        EdgeErrors.write(request, response, callback, status, text);
        return true;
    }
}
