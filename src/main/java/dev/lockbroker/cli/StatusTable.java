package dev.lockbroker.cli;

import dev.lockbroker.client.KeyStatus;
import dev.lockbroker.client.NamespaceStatus;
import dev.lockbroker.client.NamespaceSummary;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.HolderView;
import dev.lockbroker.core.WaiterView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Holders and queues laid out as aligned text columns. */
final class StatusTable {
    private StatusTable() {}

    /** One row per holder and per waiter of every key in the namespace. */
    static String of(NamespaceStatus status, long nowMillis) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SHARD", "STATE", "MODE", "HOLDER", "TOKEN", "FOR", "EXPIRES IN"});
        for (KeyStatus key : status.keys()) {
            String shard = key.shard() == null ? "(whole)" : key.shard();
            for (HolderView h : key.holders()) {
                rows.add(new String[] {
                    shard,
                    "held",
                    h.mode().wireName(),
                    holderText(h.holder()),
                    Long.toString(h.token()),
                    seconds(h.heldMillis()),
                    seconds(h.expiresAtMillis() - nowMillis)
                });
            }
            for (WaiterView w : key.queue()) {
                rows.add(new String[] {
                    shard,
                    "queued #" + w.position(),
                    w.mode().wireName(),
                    holderText(w.holder()),
                    "-",
                    seconds(w.waitedMillis()),
                    "-"
                });
            }
        }
        String totals = status.namespace() + ": " + status.holders() + " holding, " + status.waiting() + " waiting\n";
        return totals + (rows.size() == 1 ? "" : layout(rows));
    }

    /** One row per active namespace. */
    static String of(List<NamespaceSummary> namespaces) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "HOLDERS", "WAITING"});
        for (NamespaceSummary s : namespaces) {
            rows.add(new String[] {s.namespace(), Integer.toString(s.holders()), Integer.toString(s.waiting())});
        }
        return rows.size() == 1 ? "no active namespaces\n" : layout(rows);
    }

    static String holderText(Holder holder) {
        StringBuilder text = new StringBuilder(holder.name());
        if (holder.host() != null) {
            text.append('@').append(holder.host());
        }
        if (holder.pid() != null) {
            text.append(" pid ").append(holder.pid());
        }
        return text.toString();
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1fs", Math.max(0, millis) / 1000.0);
    }

    private static String layout(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(
                        i == row.length - 1
                                ? row[i]
                                : String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
