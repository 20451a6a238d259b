package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An operator's revoke by key: which holders it ends, and the refusals that change nothing. */
final class Revocations {
    private Revocations() {}

    /**
     * Revokes the holders of exactly {@code key}; with {@code expectedToken}, only the one under it.
     * Refuses before ending anything, so a wrong guess about the holder leaves every lease alone.
     *
     * @throws RevokeRefusedException nothing holds the key, or not under the expected token
     */
    static List<LeaseView> revokeKey(
            NamespaceState state, LockKey key, @Nullable Long expectedToken, String reason, long nowNanos) {
        List<Lease> held = state.table.queue.holders.values().stream()
                .filter(l -> l.key.equals(key))
                .toList();
        if (held.isEmpty()) {
            throw new RevokeRefusedException(RevokeRefusedException.Why.NOT_HELD, "nothing holds " + key);
        }
        List<Lease> chosen = expectedToken == null
                ? held
                : held.stream().filter(l -> l.token == expectedToken).toList();
        if (chosen.isEmpty()) {
            throw new RevokeRefusedException(
                    RevokeRefusedException.Why.HOLDER_MISMATCH,
                    key + " is held under fencing token(s) "
                            + held.stream().map(l -> l.token).toList() + ", not " + expectedToken);
        }
        List<LeaseView> revoked = new ArrayList<>();
        for (Lease lease : chosen) {
            state.table.revoke(lease, reason, nowNanos);
            revoked.add(lease.view());
        }
        return revoked;
    }
}
