package dev.lockbroker.cli;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops a child and what it started: SIGTERM to the child, then SIGKILL to all after a grace period. */
final class ChildStopper {
    private ChildStopper() {}

    /** Returns once the child has exited (or after a last short wait for the kernel to reap it). */
    static void stop(Process child, long graceNanos) throws InterruptedException {
        List<ProcessHandle> descendants = child.descendants().toList();
        child.destroy();
        if (child.waitFor(graceNanos, TimeUnit.NANOSECONDS)) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            return;
        }
        descendants = concat(descendants, child.descendants().toList());
        child.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        child.waitFor(graceNanos, TimeUnit.NANOSECONDS);
    }

    private static List<ProcessHandle> concat(List<ProcessHandle> a, List<ProcessHandle> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().toList();
    }
}
