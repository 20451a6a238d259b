package dev.lockbroker.cli;

import dev.lockbroker.client.TicketInfo;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.HolderView;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Queue progress on stderr: on a terminal one line redrawn every second; otherwise a plain line per
 * queue update, at most one per {@link #PLAIN_MIN_INTERVAL_NANOS} unless the position changed; nothing
 * when quiet.
 *
 * <p>Concurrency contract: {@link #update} runs on the waiting thread and the redraw on a daemon
 * ticker; both go through {@code synchronized} methods that only format and print.
 */
final class ProgressReporter implements AutoCloseable {
    static final long PLAIN_MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final PrintWriter err;
    private final String keyText;
    private final boolean live;
    private final boolean quiet;
    private final long startNanos = System.nanoTime();
    private final Thread ticker;
    private TicketInfo latest;
    private long latestAtNanos;
    private long lastPlainNanos;
    private int lastPlainPosition = -1;
    private boolean drawn;
    private boolean closed;

    ProgressReporter(PrintWriter err, String keyText, boolean live, boolean quiet) {
        this.err = err;
        this.keyText = keyText;
        this.live = live && !quiet;
        this.quiet = quiet;
        this.ticker = this.live
                ? Thread.ofPlatform().daemon().name("lockbroker-progress").start(this::tick)
                : null;
    }

    synchronized void update(TicketInfo ticket) {
        latest = ticket;
        latestAtNanos = System.nanoTime();
        if (quiet || closed) {
            return;
        }
        if (live) {
            redraw();
        } else if (ticket.position() != lastPlainPosition
                || latestAtNanos - lastPlainNanos >= PLAIN_MIN_INTERVAL_NANOS) {
            lastPlainPosition = ticket.position();
            lastPlainNanos = latestAtNanos;
            err.println(line());
            err.flush();
        }
    }

    /** Clears the live line. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.interrupt();
        }
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    private void tick() {
        try {
            while (true) {
                Thread.sleep(1000);
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    redraw();
                }
            }
        } catch (InterruptedException e) {
            // Closed.
        }
    }

    private void redraw() {
        err.print("\r\033[K" + line());
        err.flush();
        drawn = true;
    }

    private String line() {
        double waited = (System.nanoTime() - startNanos) / 1e9;
        if (latest == null) {
            return String.format(Locale.ROOT, "lockbroker: waiting for %s (%.0fs)", keyText, waited);
        }
        return String.format(
                Locale.ROOT,
                "lockbroker: waiting for %s: position %d, %d ahead, %s%s, waited %.0fs",
                keyText,
                latest.position(),
                latest.ahead(),
                holderText(),
                etaText(),
                waited);
    }

    /** Who holds it, for how long by now: "held by sync@ci-7 pid 4242 for 12s, ". */
    private String holderText() {
        if (latest.holders().isEmpty()) {
            return "";
        }
        HolderView first = latest.holders().get(0);
        Holder who = first.holder();
        double heldSeconds = first.heldMillis() / 1e3 + (System.nanoTime() - latestAtNanos) / 1e9;
        String more = latest.holders().size() > 1 ? " and " + (latest.holders().size() - 1) + " more" : "";
        return String.format(
                Locale.ROOT,
                "held by %s%s%s for %.0fs%s, ",
                who.name(),
                who.host() == null ? "" : "@" + who.host(),
                who.pid() == null ? "" : " pid " + who.pid(),
                heldSeconds,
                more);
    }

    private String etaText() {
        if (latest.etaSeconds() == null) {
            return "ETA unknown";
        }
        double sinceUpdate = (System.nanoTime() - latestAtNanos) / 1e9;
        double eta = Math.max(0, latest.etaSeconds() - sinceUpdate);
        return String.format(
                Locale.ROOT, "ETA ~%.0fs%s", eta, latest.etaExceedsDeadline() ? " (past the deadline)" : "");
    }
}
