package dev.lockbroker.bench.published;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Starts every server on loopback, each as a plain process with its data in a temporary directory:
 * S3Proxy (filesystem store), lockbroker on S3Proxy and on disk, etcd, ZooKeeper. They start side
 * by side; etcd and ZooKeeper are skipped with a reason when their Debian packages are absent.
 */
final class Servers implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern BROKER_URL = Pattern.compile("lockbroker listening on (http://\\S+)");
    private static final Pattern S3PROXY_URL = Pattern.compile("s3proxy listening on (http://\\S+)");
    static final Path ETCD = Path.of("/usr/bin/etcd");
    static final Path ZOOKEEPER_JAR = Path.of("/usr/share/java/zookeeper.jar");

    final List<SystemSpec> systems = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    Proc s3proxy;
    String s3Endpoint;
    private final List<Proc> started = new ArrayList<>();

    private Servers() {}

    /**
     * What to start besides S3Proxy and this build's brokers: brokers from a baseline jar (null:
     * none), and whether to leave out the peers (polling lock, etcd, ZooKeeper).
     */
    record Choice(Path baselineJar, boolean lockbrokerOnly) {}

    static Servers start(Path work, Path brokerJar, Choice choice) throws IOException, InterruptedException {
        Servers servers = new Servers();
        try {
            servers.startAll(work, brokerJar, choice);
            return servers;
        } catch (IOException | RuntimeException | InterruptedException e) {
            servers.close();
            throw e;
        }
    }

    private void startAll(Path work, Path brokerJar, Choice choice) throws IOException, InterruptedException {
        s3proxy = launch(
                "s3proxy",
                javaCommand(
                        "-cp",
                        System.getProperty("java.class.path"),
                        S3ProxyMain.class.getName(),
                        work.resolve("s3proxy-data").toString(),
                        BenchS3.BUCKET),
                work,
                Map.of());
        Proc onDisk = launchBroker(
                "lockbroker-disk",
                work,
                brokerJar,
                List.of("--data-dir", work.resolve("broker-disk-data").toString()));
        int etcdPort = Proc.freePort();
        boolean peers = !choice.lockbrokerOnly();
        Proc etcd = peers && Files.isExecutable(ETCD) ? launchEtcd(work.resolve("etcd"), etcdPort) : null;
        int zkPort = Proc.freePort();
        Proc zk = peers && Files.isReadable(ZOOKEEPER_JAR) ? launchZooKeeper(work.resolve("zookeeper"), zkPort) : null;
        s3Endpoint = s3proxy.awaitLog(S3PROXY_URL, START).group(1);
        Proc onS3 = launchBroker("lockbroker-s3", work, brokerJar, s3Args(s3Endpoint));

        Path baseline = choice.baselineJar();
        // Its own prefix: brokers of two versions on one log are peers, and an older one need not read
        // what a newer one writes (a compaction seal, say).
        List<String> baselineS3 = new ArrayList<>(s3Args(s3Endpoint));
        baselineS3.addAll(List.of("--s3-prefix", "baseline"));
        Proc baselineOnS3 = baseline == null ? null : launchBroker("baseline-s3", work, baseline, baselineS3);
        Proc baselineOnDisk = baseline == null
                ? null
                : launchBroker(
                        "baseline-disk",
                        work,
                        baseline,
                        List.of("--data-dir", work.resolve("baseline-disk-data").toString()));
        if (peers) {
            systems.add(new SystemSpec(SystemSpec.POLLING, "polling 1 s", s3Endpoint, 1000, List.of(s3proxy)));
            systems.add(new SystemSpec(SystemSpec.POLLING, "polling 100 ms", s3Endpoint, 100, List.of(s3proxy)));
        } else {
            skipped.add("polling, etcd, ZooKeeper: not asked for (--lockbroker-only)");
        }
        if (etcd != null) {
            etcd.awaitPort(etcdPort, START);
            systems.add(new SystemSpec(SystemSpec.ETCD, "etcd", "http://127.0.0.1:" + etcdPort, 0, List.of(etcd)));
        } else if (peers) {
            skipped.add("etcd: " + ETCD + " absent (Debian package etcd-server not installed)");
        }
        if (zk != null) {
            zk.awaitPort(zkPort, START);
            systems.add(new SystemSpec(SystemSpec.ZOOKEEPER, "ZooKeeper", "127.0.0.1:" + zkPort, 0, List.of(zk)));
        } else if (peers) {
            skipped.add("ZooKeeper: " + ZOOKEEPER_JAR + " absent (Debian package zookeeper not installed)");
        }
        String s3Url = onS3.awaitLog(BROKER_URL, START).group(1);
        systems.add(new SystemSpec(SystemSpec.BROKER, "lockbroker S3", s3Url, 0, List.of(onS3, s3proxy)));
        String diskUrl = onDisk.awaitLog(BROKER_URL, START).group(1);
        systems.add(new SystemSpec(SystemSpec.BROKER, "lockbroker disk", diskUrl, 0, List.of(onDisk)));
        if (baselineOnS3 != null && baselineOnDisk != null) {
            String url = baselineOnS3.awaitLog(BROKER_URL, START).group(1);
            systems.add(new SystemSpec(
                    SystemSpec.BROKER, "baseline lockbroker S3", url, 0, List.of(baselineOnS3, s3proxy)));
            url = baselineOnDisk.awaitLog(BROKER_URL, START).group(1);
            systems.add(new SystemSpec(SystemSpec.BROKER, "baseline lockbroker disk", url, 0, List.of(baselineOnDisk)));
        }
    }

    private static List<String> s3Args(String endpoint) {
        return List.of("--s3-bucket", BenchS3.BUCKET, "--s3-endpoint", endpoint, "--s3-path-style");
    }

    private Proc launch(String name, List<String> command, Path dir, Map<String, String> env) throws IOException {
        Proc p = Proc.start(name, command, dir, env);
        started.add(p);
        return p;
    }

    private Proc launchBroker(String name, Path work, Path jar, List<String> storeArgs) throws IOException {
        List<String> args =
                new ArrayList<>(javaCommand("-jar", jar.toString(), "server", "--host", "127.0.0.1", "--port", "0"));
        args.addAll(storeArgs);
        return launch(
                name,
                args,
                work.resolve(name),
                Map.of("AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench", "AWS_REGION", "us-east-1"));
    }

    private Proc launchEtcd(Path dir, int clientPort) throws IOException {
        String clientUrl = "http://127.0.0.1:" + clientPort;
        String peerUrl = "http://127.0.0.1:" + Proc.freePort();
        return launch(
                "etcd",
                List.of(
                        ETCD.toString(),
                        "--name",
                        "bench",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--listen-client-urls",
                        clientUrl,
                        "--advertise-client-urls",
                        clientUrl,
                        "--listen-peer-urls",
                        peerUrl,
                        "--initial-advertise-peer-urls",
                        peerUrl,
                        "--initial-cluster",
                        "bench=" + peerUrl,
                        "--logger",
                        "zap",
                        "--log-level",
                        "warn"),
                dir,
                Map.of());
    }

    private Proc launchZooKeeper(Path dir, int port) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        // tickTime 500 allows session timeouts from 1 s, so ZooKeeper gets the same TTL as the others;
        // maxClientCnxns 0 lifts the default of 60 connections per address (64 clients share 127.0.0.1).
        Files.writeString(
                dir.resolve("zoo.cfg"),
                String.join(
                        "\n",
                        "tickTime=500",
                        "dataDir=" + dir.resolve("data"),
                        "clientPort=" + port,
                        "clientPortAddress=127.0.0.1",
                        "maxClientCnxns=0",
                        "minSessionTimeout=1000",
                        "maxSessionTimeout=60000",
                        "admin.enableServer=false",
                        ""));
        return launch(
                "zookeeper",
                List.of(
                        "/usr/bin/java",
                        "-Dzookeeper.log.dir=" + dir,
                        "-cp",
                        "/etc/zookeeper/conf:" + ZOOKEEPER_JAR,
                        "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                        dir.resolve("zoo.cfg").toString()),
                dir,
                Map.of());
    }

    /** The driver's own java with {@code args}. */
    static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public void close() throws InterruptedException {
        for (Proc p : started.reversed()) {
            p.close();
        }
    }
}
