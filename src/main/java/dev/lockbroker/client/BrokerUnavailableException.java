package dev.lockbroker.client;

import java.net.URI;

/** The broker at {@link #url()} could not be reached, or answered that it cannot serve (503). */
public final class BrokerUnavailableException extends LockClientException {
    private final URI url;

    public BrokerUnavailableException(URI url, String message, Throwable cause) {
        super(message, cause);
        this.url = url;
    }

    /** The address that was tried. */
    public URI url() {
        return url;
    }
}
