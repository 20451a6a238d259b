package dev.lockbroker.http;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.Future;

/**
 * Cancels a parked long-poll whose connection failed (the client went away, or its idle timeout
 * struck), so the core stops attending its ticket at once instead of holding it to the poll's end.
 */
final class AbandonedPoll implements AsyncListener {
    private final Future<?> poll;

    AbandonedPoll(Future<?> poll) {
        this.poll = poll;
    }

    @Override
    public void onError(AsyncEvent event) {
        poll.cancel(false);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        poll.cancel(false);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // answered: nothing to cancel
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-registered on a later startAsync: a request goes async once
    }
}
