package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which peers are present, as this broker saw their presences change: a pure tracker, no locks, no
 * I/O. A peer counts as present while its presence changed (or first appeared) less than a lapse
 * ago on this broker's monotonic clock, measured from the answer of the listing that showed it.
 * Presence decides only how many partitions brokers aim for, so a wrong guess costs balance, never
 * safety.
 */
final class Presences {
    private record Sighting(String version, long changedAtNanos) {}

    private final String myId;
    private final Map<String, Sighting> sightings = new HashMap<>();
    private boolean listed;

    Presences(String myId) {
        this.myId = myId;
    }

    /** A listing answered at {@code receivedNanos}: a new or changed version restarts its peer's watch. */
    void listed(Map<String, String> versions, long receivedNanos) {
        listed = true;
        sightings.keySet().retainAll(versions.keySet());
        versions.forEach((id, version) -> {
            if (id.equals(myId)) {
                return;
            }
            Sighting before = sightings.get(id);
            if (before == null || !before.version().equals(version)) {
                sightings.put(id, new Sighting(version, receivedNanos));
            }
        });
    }

    /** Whether a listing has answered since start. */
    boolean isListed() {
        return listed;
    }

    /** The peers whose presence changed less than {@code lapseNanos} ago. */
    Set<String> present(long nowNanos, long lapseNanos) {
        Set<String> present = new TreeSet<>();
        sightings.forEach((id, s) -> {
            if (nowNanos - s.changedAtNanos() - lapseNanos < 0) {
                present.add(id);
            }
        });
        return present;
    }

    /** The peers whose presence stood unchanged for longer than {@code forgetNanos}: left behind by a crash. */
    List<String> abandoned(long nowNanos, long forgetNanos) {
        List<String> abandoned = new ArrayList<>();
        sightings.forEach((id, s) -> {
            if (nowNanos - s.changedAtNanos() - forgetNanos > 0) {
                abandoned.add(id);
            }
        });
        return abandoned;
    }
}
