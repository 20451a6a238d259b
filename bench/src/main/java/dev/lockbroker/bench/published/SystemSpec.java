package dev.lockbroker.bench.published;

import java.net.URI;
import java.util.List;

/**
 * A lock system under test, as a string a child process can be given:
 * {@code KIND NAME ENDPOINT OPTION}, where OPTION is the polling interval in ms for the polling
 * lock and unused otherwise. The server pids are those whose CPU is counted for it.
 */
record SystemSpec(String kind, String name, String endpoint, long option, List<Proc> servers) {
    static final String BROKER = "lockbroker";
    static final String ETCD = "etcd";
    static final String ZOOKEEPER = "zookeeper";
    static final String POLLING = "polling";

    /** Opens it with locks (leases, sessions, lock objects) that live {@code ttlMillis} unrenewed. */
    LockSystem open(long ttlMillis) throws Exception {
        return switch (kind) {
            case BROKER -> new BrokerLocks(URI.create(endpoint), ttlMillis);
            case ETCD -> new EtcdLocks(endpoint, ttlMillis);
            case ZOOKEEPER -> new ZkLocks(endpoint, ttlMillis);
            case POLLING -> new PollingLocks(URI.create(endpoint), ttlMillis, option);
            default -> throw new IllegalArgumentException("unknown system kind " + kind);
        };
    }

    List<String> asArgs() {
        return List.of(kind, name, endpoint, Long.toString(option));
    }

    static SystemSpec fromArgs(String[] args, int from) {
        return new SystemSpec(args[from], args[from + 1], args[from + 2], Long.parseLong(args[from + 3]), List.of());
    }

    private static final java.util.regex.Pattern S3_REQUESTS =
            java.util.regex.Pattern.compile("(?m)^lockbroker_store_s3_requests_total\\{[^}]*} (\\S+)");

    /**
     * S3 requests a lockbroker on S3 has sent so far, from its {@code /metrics}; -1 for any other
     * system, and for a broker that does not count them (a baseline from before the counter).
     */
    long storeRequests() throws java.io.IOException, InterruptedException {
        if (!kind.equals(BROKER) || servers.size() < 2) {
            return -1;
        }
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            String metrics = http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            URI.create(endpoint).resolve("/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            var m = S3_REQUESTS.matcher(metrics);
            double total = 0;
            boolean any = false;
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
                any = true;
            }
            return any ? (long) total : -1;
        }
    }

    /** CPU milliseconds of every server process of this system so far. */
    long[] serverCpuMillis() {
        long[] cpu = new long[servers.size()];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = servers.get(i).cpuMillis();
        }
        return cpu;
    }
}
