package dev.lockbroker.store.s3;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The retirement epochs of a bucket prefix (README, "Bounded growth"): markers {@code
 * {prefix}/retired/{e}}, e ≥ 1, created create-only one after another and never deleted, each
 * listing the namespaces it retires with the seal that ended their old life and their largest
 * token. A namespace listed by marker e lives on as <em>life</em> e (keys under {@code {ns}/L{e}/}),
 * which starts after that seal with no lease and that token, so numbers and tokens only grow. A
 * retired life's objects are deleted a delete delay after its marker exists; an operation on a life
 * counts only when no marker retiring it existed as it took effect ({@link #confirms}).
 *
 * <p>Thread-safe: markers are read in order under {@link #lock}, held across the GETs so that
 * {@link #known} only ever means "every marker up to here is applied"; readers of {@link #lives}
 * and the confirmation times never wait.
 */
final class Epochs {
    private static final String HEADER = "lockbroker-retired v1\n";
    /** Markers one refresh reads before giving up; each is one retirement round. */
    private static final int MAX_PER_REFRESH = 1_000;

    /** A life of a namespace: the epoch that began it (0: never retired), its seal and token floor. */
    record Life(long epoch, long sealSeq, long lastToken) {
        static final Life FIRST = new Life(0, 0, 0);

        /** Where this life of {@code ns} keeps its objects, as a namespace of {@link LogKeys}. */
        String space(String ns) {
            return epoch == 0 ? ns : ns + "/L" + epoch;
        }

        /** The namespace a space of {@link #space} belongs to. */
        static String namespaceOf(String space) {
            int slash = space.indexOf('/');
            return slash < 0 ? space : space.substring(0, slash);
        }

        /** The record that the life starts from: no lease, the old life's largest token. */
        byte[] firstBytes() {
            return RecordCodec.encode(new LeaseRecord(sealSeq, lastToken, 0, List.of()));
        }
    }

    /** A namespace a marker retires: its old life ended by a seal at {@code sealSeq}. */
    record Entry(String namespace, long sealSeq, long lastToken) {}

    private final ObjectStore objects;
    private final String markerPrefix;
    private final Clock clock;
    private final boolean checks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Life> lives = new ConcurrentHashMap<>();
    private volatile long known;
    private volatile long confirmedNanos;
    private volatile long confirmedWallMillis;
    private volatile boolean confirmed;

    Epochs(ObjectStore objects, String markerPrefix, Clock clock, boolean checks) {
        this.objects = objects;
        this.markerPrefix = markerPrefix;
        this.clock = clock;
        this.checks = checks;
    }

    /** The namespace's current life as far as the markers read so far tell. */
    Life life(String ns) {
        return lives.getOrDefault(ns, Life.FIRST);
    }

    /** The newest marker read: every marker up to it is applied. */
    long known() {
        return known;
    }

    /**
     * Whether an operation on {@code life} of {@code ns} that has just returned counts: the markers
     * were seen to end at {@link #known} by a request sent less than {@code freshMillis} ago on both
     * clocks, or else they are read now; either way no marker retires that life.
     */
    boolean confirms(String ns, Life life, long freshMillis) {
        if (!checks) {
            return true;
        }
        if (isFresh(freshMillis) && life(ns).equals(life)) {
            return true;
        }
        refresh();
        return life(ns).epoch() == life.epoch();
    }

    /** Reads every marker after {@link #known}; the GET that finds none confirms the epoch. */
    void refresh() {
        lock.lock();
        try {
            for (int i = 0; i < MAX_PER_REFRESH; i++) {
                long startNanos = clock.nanoTime();
                long startWallMillis = clock.wallMillis();
                Optional<byte[]> marker = objects.read(marker(known + 1));
                if (marker.isEmpty()) {
                    confirmedNanos = startNanos;
                    confirmedWallMillis = startWallMillis;
                    confirmed = true;
                    return;
                }
                long next = known + 1; // only written under the lock
                apply(next, marker.get());
                known = next;
            }
            throw new StoreUnavailableException("S3 prefix " + markerPrefix + " has more than " + MAX_PER_REFRESH
                    + " new retirement markers: read again");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates marker {@code epoch} (the one after {@link #known}) listing {@code entries}, then reads
     * the markers; whether ours is the marker (another broker may have created it first).
     */
    boolean propose(long epoch, List<Entry> entries) {
        byte[] bytes = encode(entries);
        boolean ours = objects.createIfAbsent(marker(epoch), bytes)
                || objects.read(marker(epoch))
                        .map(b -> java.util.Arrays.equals(b, bytes))
                        .orElse(false);
        refresh();
        return ours;
    }

    /**
     * Decides the fate of a retirement seal naming {@code epoch}: creates that marker empty unless
     * it exists (its creator saw marker epoch − 1, so numbers stay gap-free), then reads the markers.
     * The seal retired its namespace exactly when the marker lists it.
     */
    void settle(long epoch) {
        if (epoch > known) {
            objects.createIfAbsent(marker(epoch), encode(List.of()));
        }
        refresh();
    }

    private boolean isFresh(long freshMillis) {
        return confirmed
                && clock.nanoTime() - confirmedNanos < freshMillis * 1_000_000
                && clock.wallMillis() - confirmedWallMillis < freshMillis;
    }

    private void apply(long epoch, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.startsWith(HEADER)) {
            throw new StoreUnavailableException("S3 retirement marker " + marker(epoch) + " is not one");
        }
        for (String line : text.substring(HEADER.length()).lines().toList()) {
            String[] fields = line.split(" ", -1);
            if (fields.length == 3) {
                lives.put(fields[0], new Life(epoch, Long.parseLong(fields[1]), Long.parseLong(fields[2])));
            }
        }
    }

    private String marker(long epoch) {
        return markerPrefix + epoch;
    }

    private static byte[] encode(List<Entry> entries) {
        StringBuilder text = new StringBuilder(HEADER);
        for (Entry e : entries) {
            text.append(e.namespace())
                    .append(' ')
                    .append(e.sealSeq())
                    .append(' ')
                    .append(e.lastToken())
                    .append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
