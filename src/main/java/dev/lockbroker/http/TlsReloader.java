package dev.lockbroker.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's TLS context over the files of {@link TlsSettings}, re-read when they change: every check
 * period it compares each file's size and modification time (a few stat calls, nothing read) with
 * those of the identity in force, and on a change loads the new identity; a bad or half-written one
 * keeps the old in force and is logged once per change. New connections use the new identity;
 * open ones keep theirs.
 *
 * <p>Concurrency contract: one checker thread owns {@code seen}; Jetty's {@code reload} swaps the
 * context under its own lock.
 */
final class TlsReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

    private final TlsSettings settings;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tls-reload").factory());
    private List<String> seen;

    /** Loads the identity now: a bad one fails the start with {@link IllegalArgumentException}. */
    TlsReloader(TlsSettings settings) {
        this.settings = settings;
        this.seen = stamps();
        apply(factory, TlsIdentity.load(settings));
        // Clients reach the broker by IP as often as by name; the client checks the name, not Jetty.
        factory.setSniRequired(false);
        factory.setEndpointIdentificationAlgorithm(null);
    }

    SslContextFactory.Server factory() {
        return factory;
    }

    void start() {
        long period = settings.reloadCheckMillis();
        var unused = checker.scheduleWithFixedDelay(this::checkQuietly, period, period, TimeUnit.MILLISECONDS);
        // checkQuietly logs its own failures, so the future has nothing to tell
    }

    /** Reloads when a file changed since the identity in force was read; answers whether it did. */
    boolean check() {
        List<String> now = stamps();
        if (now.equals(seen)) {
            return false;
        }
        seen = now; // a bad identity is reported once, then waits for the next change
        TlsIdentity identity;
        try {
            identity = TlsIdentity.load(settings);
        } catch (IllegalArgumentException e) {
            LOG.error("kept the TLS certificate in force: {}", e.getMessage());
            return false;
        }
        try {
            factory.reload(f -> apply(f, identity));
        } catch (Exception e) {
            LOG.error("kept the TLS certificate in force: Jetty refused the new one: {}", e.toString());
            return false;
        }
        LOG.info(
                "reloaded the TLS certificate {} (valid until {}) from {}",
                identity.leaf().getSubjectX500Principal().getName(),
                identity.leaf().getNotAfter().toInstant(),
                settings);
        return true;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("TLS reload check failed: {}", e.toString());
        }
    }

    private static void apply(SslContextFactory factory, TlsIdentity identity) {
        factory.setKeyStore(identity.keyStore());
        factory.setKeyStorePassword(identity.password());
        factory.setKeyManagerPassword(identity.password());
    }

    /** Size, modification time and inode of each file (a rename over it changes the inode); a missing file is a change too. */
    private List<String> stamps() {
        List<String> stamps = new ArrayList<>();
        for (Path file : settings.files()) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                stamps.add(attributes.size() + "@" + attributes.lastModifiedTime() + "#" + attributes.fileKey());
            } catch (IOException e) {
                stamps.add("missing");
            }
        }
        return stamps;
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
