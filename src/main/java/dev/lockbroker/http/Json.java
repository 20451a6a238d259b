package dev.lockbroker.http;

import dev.lockbroker.core.Holder;
import dev.lockbroker.core.HolderView;
import dev.lockbroker.core.LeaseView;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.TicketView;
import dev.lockbroker.core.WaiterView;
import java.time.Instant;
import java.util.List;

/** The JSON bodies of the REST API, as openapi.yaml defines them. */
final class Json {
    private Json() {}

    /** The body of an acquire request; boxed fields are optional. */
    record AcquireBody(
            String shard,
            String mode,
            Integer ttlSeconds,
            Integer waitSeconds,
            Holder holder,
            String requestId,
            Integer expectedHoldSeconds,
            Integer replyWithinMillis) {}

    /** The body of a revoke by lease id. */
    record RevokeBody(String reason) {}

    record RevokedLease(String leaseId, long fencingToken) {}

    record Revoked(List<RevokedLease> revoked) {}

    record Lease(
            String leaseId,
            String namespace,
            String shard,
            String mode,
            long fencingToken,
            long ttlSeconds,
            String grantedAt,
            String expiresAt,
            Holder holder) {
        static Lease of(LeaseView v) {
            return new Lease(
                    v.leaseId(),
                    v.key().namespace(),
                    v.key().shard(),
                    v.mode().wireName(),
                    v.token(),
                    v.ttlMillis() / 1000,
                    instant(v.grantedAtMillis()),
                    instant(v.expiresAtMillis()),
                    v.holder());
        }
    }

    record Ticket(
            String ticketId,
            String namespace,
            String shard,
            String mode,
            String state,
            int position,
            int ahead,
            Double etaSeconds,
            boolean etaExceedsDeadline,
            double waitedSeconds,
            String deadline,
            List<HolderJson> holders) {
        static Ticket of(TicketView v) {
            return new Ticket(
                    v.ticketId(),
                    v.key().namespace(),
                    v.key().shard(),
                    v.mode().wireName(),
                    "queued",
                    v.position(),
                    v.ahead(),
                    v.etaMillis() == null ? null : seconds(v.etaMillis()),
                    v.etaExceedsDeadline(),
                    seconds(v.waitedMillis()),
                    instant(v.deadlineMillis()),
                    HolderJson.of(v.holders()));
        }
    }

    record HolderJson(
            String shard, String mode, Holder holder, long fencingToken, double heldSeconds, String expiresAt) {
        static List<HolderJson> of(List<HolderView> views) {
            return views.stream()
                    .map(v -> new HolderJson(
                            v.shard(),
                            v.mode().wireName(),
                            v.holder(),
                            v.token(),
                            seconds(v.heldMillis()),
                            instant(v.expiresAtMillis())))
                    .toList();
        }
    }

    record WaiterJson(String shard, int position, String mode, Holder holder, double waitedSeconds) {
        static WaiterJson of(WaiterView v) {
            return new WaiterJson(v.shard(), v.position(), v.mode().wireName(), v.holder(), seconds(v.waitedMillis()));
        }
    }

    record KeyLocks(String shard, List<HolderJson> holders, List<WaiterJson> queue) {}

    record NamespaceLocks(String namespace, int holders, int waiting, List<KeyLocks> locks) {
        static NamespaceLocks of(LockService.NamespaceStatus s) {
            return new NamespaceLocks(
                    s.namespace(),
                    s.holders(),
                    s.waiting(),
                    s.keys().stream()
                            .map(k -> new KeyLocks(
                                    k.shard(),
                                    HolderJson.of(k.holders()),
                                    k.queue().stream().map(WaiterJson::of).toList()))
                            .toList());
        }
    }

    record NamespaceSummary(String namespace, int holders, int waiting) {}

    record Namespaces(List<NamespaceSummary> namespaces) {}

    record Health(String status) {}

    static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    static double seconds(long millis) {
        return millis / 1000.0;
    }
}
