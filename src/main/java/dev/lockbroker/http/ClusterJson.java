package dev.lockbroker.http;

import dev.lockbroker.core.Member;
import dev.lockbroker.core.Ownership;
import dev.lockbroker.core.OwnershipRecord;
import dev.lockbroker.core.Partitions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of {@code GET /v1/cluster}: this broker, the brokers it knows, and who owns what since when. */
record ClusterJson(
        String brokerId,
        String url,
        long ownershipTtlMillis,
        int partitions,
        List<Broker> brokers,
        List<Partition> owners) {

    /** A broker seen as the owner of a partition, or present (its URL unknown while it owns nothing), or this one. */
    record Broker(String brokerId, String url, List<Integer> partitions) {}

    /**
     * One partition: its owner as of record {@code seq}, since when, and this broker's view of it:
     * owned here, a peer's, fenced, moving or unknown.
     */
    record Partition(
            int partition, String state, String owner, String ownerUrl, String since, String renewedAt, long seq) {}

    static ClusterJson of(Ownership ownership) {
        Member me = ownership.member();
        Map<String, Broker> brokers = new LinkedHashMap<>();
        brokers.put(me.brokerId(), new Broker(me.brokerId(), me.url(), new java.util.ArrayList<>()));
        List<Partition> owners = ownership.view().stream()
                .map(view -> {
                    OwnershipRecord r = view.owner().orElse(null);
                    if (r != null && !r.released() && !view.state().equals("moving")) {
                        brokers.computeIfAbsent(
                                        r.brokerId(), id -> new Broker(id, r.url(), new java.util.ArrayList<>()))
                                .partitions()
                                .add(view.partition());
                    }
                    return r == null
                            ? new Partition(view.partition(), view.state(), null, null, null, null, 0)
                            : new Partition(
                                    view.partition(),
                                    view.state(),
                                    r.released() ? null : r.brokerId(),
                                    r.released() ? null : r.url(),
                                    Json.instant(r.sinceMillis()),
                                    Json.instant(r.writtenAtMillis()),
                                    r.seq());
                })
                .toList();
        for (String peer : ownership.presentPeers()) { // present, owning nothing (yet)
            brokers.computeIfAbsent(peer, id -> new Broker(id, null, new java.util.ArrayList<>()));
        }
        return new ClusterJson(
                me.brokerId(),
                me.url(),
                ownership.times().ttlMillis(),
                Partitions.COUNT,
                List.copyOf(brokers.values()),
                owners);
    }
}
