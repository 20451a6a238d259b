package dev.lockbroker.cli;

import dev.lockbroker.client.LockClient;
import dev.lockbroker.support.BrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
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
}
