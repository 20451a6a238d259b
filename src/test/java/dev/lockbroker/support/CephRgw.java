package dev.lockbroker.support;

import dev.lockbroker.store.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A single-node Ceph cluster running the S3 gateway, started from Debian's {@code ceph-mon},
 * {@code ceph-osd} and {@code radosgw} ({@code ci/install-ceph.sh} installs them): one monitor, one
 * OSD on memstore (objects in memory), radosgw on a free port of 127.0.0.1, cephx keys and one S3
 * user, all under a temporary directory. Every daemon binds 127.0.0.1 only.
 *
 * <p>One cluster per test JVM ({@link #shared}), started on first use (about 13 s) within {@link
 * #START_TIMEOUT} and stopped when the JVM exits. Each daemon runs under a shell that kills it when
 * its standard input closes, so the daemons die with the JVM even when it is SIGKILLed.
 *
 * <p>Thread-safe: {@link #shared} is synchronized; the rest is immutable once started.
 */
public final class CephRgw implements S3Backend {
    public static final String BUCKET = "lockbroker-ceph";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> BINARIES =
            List.of("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph-authtool", "monmaptool", "ceph");
    /** Runs its arguments as a daemon and SIGKILLs it once this shell's stdin reaches end of file. */
    private static final String GUARD = "\"$@\" </dev/null & pid=$!; cat >/dev/null; kill -9 $pid; wait $pid";

    private static Optional<CephRgw> shared;
    private static String unavailable;

    private final Path dir;
    private final int rgwPort;
    private final AwsCredentialsProvider credentials;
    private final List<Process> daemons = new ArrayList<>();

    private CephRgw(Path dir, int rgwPort, AwsCredentialsProvider credentials) {
        this.dir = dir;
        this.rgwPort = rgwPort;
        this.credentials = credentials;
    }

    /**
     * The cluster of this JVM, started on first call; empty when the Ceph packages are not installed
     * ({@link #whyUnavailable} says so). A start that fails is an error, not a skip.
     */
    public static synchronized Optional<CephRgw> shared() {
        if (shared == null) {
            List<String> missing = BINARIES.stream().filter(b -> !onPath(b)).toList();
            if (!missing.isEmpty()) {
                unavailable = "Ceph is not installed (missing " + String.join(", ", missing)
                        + "); ci/install-ceph.sh installs it where apt-get and root are available";
                shared = Optional.empty();
            } else {
                shared = Optional.of(start());
            }
        }
        return shared;
    }

    /** Why {@link #shared} is empty. */
    public static synchronized String whyUnavailable() {
        return unavailable;
    }

    @Override
    public String name() {
        return "Ceph RGW";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + rgwPort);
    }

    @Override
    public String bucket() {
        return BUCKET;
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** Path-style settings for {@link #BUCKET}, a 10 s call budget (RGW on memstore under load is slower than S3Proxy). */
    @Override
    public S3Settings settings() {
        return S3Settings.forBucket(BUCKET)
                .withEndpoint(endpoint())
                .withPathStyle(true)
                .withCallTimeout(Duration.ofSeconds(10));
    }

    private static CephRgw start() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Path dir;
        try {
            dir = Files.createTempDirectory("lockbroker-ceph-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String access = "lb" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String secret = UUID.randomUUID().toString().replace("-", "");
        int monPort = freePort();
        int rgwPort = freePort();
        CephRgw ceph =
                new CephRgw(dir, rgwPort, StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)));
        Runtime.getRuntime().addShutdownHook(new Thread(ceph::stop, "ceph-rgw-stop"));
        try {
            ceph.bootstrap(monPort, access, secret, deadline);
            return ceph;
        } catch (RuntimeException | IOException e) {
            String logs = ceph.logTail();
            ceph.stop();
            throw new IllegalStateException("Ceph RGW did not start: " + e.getMessage() + "\n" + logs, e);
        }
    }

    private void bootstrap(int monPort, String access, String secret, long deadline) throws IOException {
        String fsid = UUID.randomUUID().toString();
        Path conf = dir.resolve("ceph.conf");
        Files.writeString(conf, CephConf.render(dir, fsid, monPort, rgwPort));
        for (String sub : List.of("run", "log", "mon/mon.a", "osd/osd.0", "rgw")) {
            Files.createDirectories(dir.resolve(sub));
        }
        String keyring = dir.resolve("keyring").toString();
        addKey(deadline, keyring, "mon.", "mon", "allow *");
        addKey(deadline, keyring, "client.admin", "mon", "allow *", "osd", "allow *", "mgr", "allow *");
        addKey(deadline, keyring, "osd.0", "mon", "allow profile osd", "osd", "allow *");
        addKey(deadline, keyring, "client.rgw", "mon", "allow rw", "osd", "allow rwx");
        String monmap = dir.resolve("monmap").toString();
        run(
                deadline,
                "monmaptool",
                "--create",
                "--fsid",
                fsid,
                "--addv",
                "a",
                "[v2:127.0.0.1:" + monPort + "]",
                monmap);
        String c = conf.toString();
        run(deadline, "ceph-mon", "-c", c, "-i", "a", "--mkfs", "--monmap", monmap, "--keyring", keyring);
        daemon("mon", "ceph-mon", "-c", c, "-i", "a", "-f");
        String osdUuid = UUID.randomUUID().toString();
        run(deadline, "ceph", "-c", c, "--connect-timeout", "30", "osd", "new", osdUuid);
        run(deadline, "ceph-osd", "-c", c, "-i", "0", "--mkfs", "--osd-uuid", osdUuid);
        daemon("osd", "ceph-osd", "-c", c, "-i", "0", "-f");
        run(
                deadline,
                "radosgw-admin",
                "-c",
                c,
                "-n",
                "client.rgw",
                "user",
                "create",
                "--uid=lockbroker",
                "--display-name=lockbroker",
                "--access-key=" + access,
                "--secret-key=" + secret);
        daemon("rgw", "radosgw", "-c", c, "-n", "client.rgw", "-f");
        awaitGateway(deadline);
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(S3Settings.DEFAULT_REGION))
                .forcePathStyle(true)
                .credentialsProvider(credentials)
                .build()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    /** Adds a cephx key for {@code entity} with capabilities given as (subsystem, grant) pairs; the first creates the keyring. */
    private void addKey(long deadline, String keyring, String entity, String... caps) throws IOException {
        List<String> command = new ArrayList<>(List.of("ceph-authtool", keyring, "--gen-key", "-n", entity));
        if (!Files.exists(Path.of(keyring))) {
            command.add("--create-keyring");
        }
        for (int i = 0; i < caps.length; i += 2) {
            command.addAll(List.of("--cap", caps[i], caps[i + 1]));
        }
        run(deadline, command.toArray(String[]::new));
    }

    /** Runs one set-up command to completion, failing on a non-zero exit or the deadline. */
    private void run(long deadline, String... command) throws IOException {
        Path log = dir.resolve("log/setup.out");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long waitNanos = Math.min(STEP_TIMEOUT.toNanos(), deadline - System.nanoTime());
        try {
            if (!process.waitFor(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish in time");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue());
        }
    }

    private void daemon(String name, String... command) throws IOException {
        List<String> guarded = new ArrayList<>(List.of("bash", "-c", GUARD, name));
        guarded.addAll(List.of(command));
        Process process = new ProcessBuilder(guarded)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log/" + name + ".out").toFile())
                .start();
        daemons.add(process);
    }

    private void awaitGateway(long deadline) {
        while (System.nanoTime() - deadline < 0) {
            try {
                HttpURLConnection connection =
                        (HttpURLConnection) endpoint().toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2_000);
                connection.getResponseCode();
                connection.disconnect();
                return;
            } catch (IOException notYet) {
                pause();
            }
            daemons.stream().filter(p -> !p.isAlive()).findFirst().ifPresent(p -> {
                throw new IllegalStateException("a Ceph daemon exited during start-up");
            });
        }
        throw new IllegalStateException("radosgw did not answer on " + endpoint() + " within " + START_TIMEOUT);
    }

    /** Closes every guard's stdin (its daemon is SIGKILLed: memstore keeps nothing) and removes the directory. */
    private synchronized void stop() {
        for (Process guard : daemons) {
            try {
                guard.getOutputStream().close();
            } catch (IOException ignored) {
                // the guard is gone already
            }
        }
        for (Process guard : daemons) {
            try {
                if (!guard.waitFor(10, TimeUnit.SECONDS)) {
                    guard.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        daemons.clear();
        deleteTree(dir);
    }

    private String logTail() {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir.resolve("log"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                out.append("== ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            }
        } catch (IOException | UncheckedIOException e) {
            out.append("(logs unreadable: ").append(e.getMessage()).append(")");
        }
        return out.toString();
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a temporary directory
        }
    }
}
