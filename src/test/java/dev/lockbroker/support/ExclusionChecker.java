package dev.lockbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.Mode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what holders recorded inside their critical sections: conflicting holds never overlap in
 * time, tokens never repeat, a grant that was requested after another was already held has the
 * larger token, and among conflicting requests the grant order (token order) is the enqueue order.
 */
public final class ExclusionChecker {
    /** One critical section: when it ran and under which grant. {@code order} is the enqueue order. */
    public record Hold(
            int order, LockKey key, Mode mode, long token, long requestedNanos, long startNanos, long endNanos) {}

    private ExclusionChecker() {}

    public static void check(List<Hold> holds) {
        Set<Long> tokens = new HashSet<>();
        for (Hold h : holds) {
            assertThat(tokens.add(h.token()))
                    .as("token %d granted twice", h.token())
                    .isTrue();
        }
        for (Hold a : holds) {
            for (Hold b : holds) {
                if (a == b) {
                    continue;
                }
                boolean conflict = a.key().conflictsWith(a.mode(), b.key(), b.mode());
                boolean overlap = a.startNanos() < b.endNanos() && b.startNanos() < a.endNanos();
                assertThat(conflict && overlap)
                        .as("conflicting holds overlap: %s and %s", a, b)
                        .isFalse();
                if (a.startNanos() < b.requestedNanos()) {
                    assertThat(a.token())
                            .as("%s was held before %s was requested", a, b)
                            .isLessThan(b.token());
                }
                if (conflict && a.order() < b.order()) {
                    assertThat(a.token())
                            .as("FIFO: %s was queued before %s", a, b)
                            .isLessThan(b.token());
                }
            }
        }
    }
}
