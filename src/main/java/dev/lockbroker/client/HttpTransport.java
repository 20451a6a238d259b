package dev.lockbroker.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** One HTTP/1.1 exchange with the broker; thread-safe. */
interface HttpTransport {
    /** The status, the body as text (empty when none) and the Location header (or null). */
    record Answer(int status, String body, String location) {}

    /**
     * Sends {@code method} to {@code target} with the JSON {@code body} (or none when null), waiting at
     * most {@code timeout} for the whole answer.
     *
     * @throws IOException the broker could not be reached or did not answer in time
     * @throws InterruptedException the calling thread was interrupted (the exchange is abandoned)
     */
    Answer exchange(String method, URI target, String body, Optional<String> bearerToken, Duration timeout)
            throws IOException, InterruptedException;
}
