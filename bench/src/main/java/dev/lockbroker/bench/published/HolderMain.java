package dev.lockbroker.bench.published;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A lock holder as a process of its own, to be SIGKILLed: {@code HolderMain TTL_MS KEY GO_FILE KIND
 * NAME ENDPOINT OPTION} connects, waits for GO_FILE to exist (so that holders started side by side
 * do not take their locks while the others' JVMs still start up and starve its heartbeats), takes KEY, prints {@link #HELD} and keeps the lock alive (as its
 * system does) until killed, or for two minutes at most.
 */
public final class HolderMain {
    static final String HELD = "HOLDER HAS THE LOCK";

    private HolderMain() {}

    public static void main(String[] args) throws Exception {
        long ttlMillis = Long.parseLong(args[0]);
        String key = args[1];
        Path go = Path.of(args[2]);
        SystemSpec spec = SystemSpec.fromArgs(args, 3);
        try (LockSystem system = spec.open(ttlMillis)) {
            LockSystem.Locker locker = system.locker(0);
            for (int i = 0; i < 6000 && !Files.exists(go); i++) { // at most 2 minutes
                Thread.sleep(20);
            }
            if (!locker.acquire(key, System.nanoTime() + TimeUnit.SECONDS.toNanos(60))) {
                System.out.println("holder: not granted in 60 s");
                System.exit(1);
            }
            System.out.println(HELD);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(2));
        }
        System.exit(0);
    }
}
