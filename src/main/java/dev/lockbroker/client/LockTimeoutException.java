package dev.lockbroker.client;

import dev.lockbroker.core.HolderView;
import java.util.List;

/**
 * The lock was not granted before the wait deadline ({@code timed_out}), or was taken when asked to try
 * once ({@code busy}); {@link #holders()} names who held it then.
 */
public final class LockTimeoutException extends LockClientException {
    private final String reason;
    private final List<HolderView> holders;

    public LockTimeoutException(String reason, String message, List<HolderView> holders) {
        super(message, null);
        this.reason = reason;
        this.holders = List.copyOf(holders);
    }

    /** {@code timed_out} or {@code busy}. */
    public String reason() {
        return reason;
    }

    public List<HolderView> holders() {
        return holders;
    }
}
