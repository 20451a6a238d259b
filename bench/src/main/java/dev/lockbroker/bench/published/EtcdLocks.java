package dev.lockbroker.bench.published;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcd's lock API (v3lock) with jetcd: each worker owns a lease kept alive in the background, as an
 * etcd concurrency session does, and locks with it; unlock deletes the lock key.
 */
final class EtcdLocks implements LockSystem {
    private final String endpoint;
    private final long ttlSeconds;
    private final Map<Integer, Client> clients = new ConcurrentHashMap<>();
    private final List<CloseableClient> keepAlives = new CopyOnWriteArrayList<>();

    EtcdLocks(String endpoint, long ttlMillis) {
        this.endpoint = endpoint;
        this.ttlSeconds = Math.max(1, ttlMillis / 1000);
    }

    @Override
    public Locker locker(int connection) throws Exception {
        Client client = clients.computeIfAbsent(
                connection, c -> Client.builder().endpoints(endpoint).build());
        long lease = client.getLeaseClient()
                .grant(ttlSeconds)
                .get(30, TimeUnit.SECONDS)
                .getID();
        keepAlives.add(client.getLeaseClient().keepAlive(lease, new Ignored()));
        return new EtcdLocker(client, lease);
    }

    @Override
    public void close() {
        keepAlives.forEach(CloseableClient::close);
        clients.values().forEach(Client::close);
    }

    private static final class EtcdLocker implements Locker {
        private final Client client;
        private final long lease;
        private ByteSequence held;

        EtcdLocker(Client client, long lease) {
            this.client = client;
            this.lease = lease;
        }

        @Override
        public boolean acquire(String key, long deadlineNanos) throws Exception {
            ByteSequence name = ByteSequence.from("/locks/" + key, StandardCharsets.UTF_8);
            var pending = client.getLockClient().lock(name, lease);
            long leftNanos = Math.max(1, deadlineNanos - System.nanoTime());
            try {
                held = pending.get(leftNanos, TimeUnit.NANOSECONDS).getKey();
                return true;
            } catch (TimeoutException e) {
                pending.cancel(true);
                // A lock call the server still holds would grant later: take the lock key away if it did.
                pending.thenAccept(r -> client.getLockClient().unlock(r.getKey()));
                return false;
            }
        }

        @Override
        public void release() throws Exception {
            CompletableFuture<?> unlock = client.getLockClient().unlock(held);
            unlock.get(30, TimeUnit.SECONDS);
            held = null;
        }
    }

    private static final class Ignored implements StreamObserver<LeaseKeepAliveResponse> {
        @Override
        public void onNext(LeaseKeepAliveResponse value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
