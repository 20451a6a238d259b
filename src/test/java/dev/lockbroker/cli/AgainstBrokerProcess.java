package dev.lockbroker.cli;

import dev.lockbroker.client.LockClient;
import dev.lockbroker.support.BrokerProcess;
import dev.lockbroker.support.CliProcess;
import dev.lockbroker.support.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI tests against one real broker process per test class, with short TTLs; each test gets its
 * own namespace and work directory.
 */
@Timeout(90)
abstract class AgainstBrokerProcess {
    static final int LONG_POLL_SECONDS = 2;
    static final int TICKET_TTL_SECONDS = 3;
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @TempDir
    static Path brokerDir;

    @TempDir
    Path dir;

    static BrokerProcess broker;
    static LockClient client;
    final String ns = "cli-" + NAMESPACES.incrementAndGet();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = BrokerProcess.start(brokerDir, LONG_POLL_SECONDS, TICKET_TTL_SECONDS);
        client = LockClient.create(broker.url(), Optional.empty());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** Starts {@code lockbroker run --namespace NS --quiet args...}. */
    CliProcess run(String... args) throws IOException {
        String[] all = new String[args.length + 4];
        all[0] = "run";
        all[1] = "--namespace";
        all[2] = ns;
        all[3] = "--quiet";
        System.arraycopy(args, 0, all, 4, args.length);
        return CliProcess.start(dir, broker.url(), environment(), all);
    }

    /** What the CLI processes of {@link #run} get added to their environment. */
    Map<String, String> environment() {
        return Map.of();
    }

    /** Waits until the holder's child wrote {@code marker}, then queues a run and waits until it is queued. */
    CliProcess awaitHolderThenQueue(Path marker, String... args) throws Exception {
        Poll.until("the holder's child runs", Duration.ofSeconds(20), () -> Files.exists(marker) && size(marker) > 0);
        return queueBehind(1, args);
    }

    CliProcess queueBehind(int expectedWaiting, String... args) throws Exception {
        CliProcess process = run(args);
        Poll.until(expectedWaiting + " waiting", Duration.ofSeconds(20), () -> waiting() == expectedWaiting);
        return process;
    }

    int waiting() {
        try {
            return client.status(ns).waiting();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
