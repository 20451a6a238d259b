package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.support.CliProcess;
import dev.lockbroker.support.CriticalSections;
import dev.lockbroker.support.JavaProcess;
import dev.lockbroker.support.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wrapper itself killed or frozen while its command holds the lock: the watchdog, not the JVM,
 * must stop the command before anyone else can be granted the lock. The commands record their own
 * critical sections (a timestamp every 50 ms), and the test asserts that no two of them overlap.
 */
class RunWatchdogProcessTest extends AgainstBrokerProcess {

    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private long childPid;

    @AfterEach
    void killLeftovers() {
        // On code without a watchdog the child outlives the wrapper: do not leak it into later tests.
        ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void sigkill_of_the_wrapper_alone_stops_its_command_within_the_grace_and_no_critical_sections_overlap()
            throws Exception {
        CriticalSections sections = new CriticalSections(dir.resolve("sections.log"));
        Path pid = dir.resolve("first.pid");
        try (CliProcess first = holder(sections, pid);
                CliProcess second = waiter(sections, pid)) {
            childPid = Long.parseLong(Files.readString(pid).strip());

            first.signal("KILL");
            Duration gone = Poll.until("the first command is gone", GRACE.plusSeconds(8), () -> !alive(childPid));

            assertThat(gone)
                    .as("time from SIGKILL of the wrapper to its command's end")
                    .isLessThanOrEqualTo(GRACE);
            assertThat(second.exitCode(EXIT_TIMEOUT)).as(second.stderr()).isZero();
            sections.assertNoOverlap("A", "B");
        }
    }

    @Test
    void sigkill_of_the_wrapper_alone_stops_the_commands_own_children_too() throws Exception {
        Path pid = dir.resolve("grandchild.pid");
        String forks = "sleep 60 & echo $! > " + pid + "; wait";
        try (CliProcess first = run("--ttl", "3s", "--", "sh", "-c", forks)) {
            Poll.until("the grandchild runs", EXIT_TIMEOUT, () -> Files.exists(pid) && size(pid) > 0);
            childPid = Long.parseLong(Files.readString(pid).strip());

            first.signal("KILL");

            assertThat(Poll.until("the grandchild is gone", GRACE.plusSeconds(8), () -> !alive(childPid)))
                    .isLessThanOrEqualTo(GRACE);
        }
    }

    @Test
    void sigkill_of_the_wrappers_whole_process_group_stops_its_command_within_the_grace() throws Exception {
        CriticalSections sections = new CriticalSections(dir.resolve("sections.log"));
        Path pid = dir.resolve("first.pid");
        try (CliProcess first = groupLeadingHolder(sections, pid);
                CliProcess second = waiter(sections, pid)) {
            childPid = Long.parseLong(Files.readString(pid).strip());

            JavaProcess.signal(-first.pid(), "KILL");
            Duration gone = Poll.until("the first command is gone", GRACE.plusSeconds(8), () -> !alive(childPid));

            assertThat(gone).isLessThanOrEqualTo(GRACE);
            assertThat(second.exitCode(EXIT_TIMEOUT)).as(second.stderr()).isZero();
            sections.assertNoOverlap("A", "B");
        }
    }

    @Test
    void sigstop_of_the_wrapper_past_its_ttl_stops_its_command_before_the_lease_could_expire() throws Exception {
        CriticalSections sections = new CriticalSections(dir.resolve("sections.log"));
        Path pid = dir.resolve("first.pid");
        try (CliProcess first = holder(sections, pid);
                CliProcess second = waiter(sections, pid)) {
            childPid = Long.parseLong(Files.readString(pid).strip());

            long frozenAtWallNanos = System.currentTimeMillis() * 1_000_000L;
            first.signal("STOP");
            try {
                assertThat(second.exitCode(EXIT_TIMEOUT)).as(second.stderr()).isZero();
                assertThat(alive(childPid))
                        .as("the frozen wrapper's command still runs")
                        .isFalse();
            } finally {
                first.signal("CONT");
            }

            // The last heartbeat the wrapper saw acknowledged was sent before the freeze, so the broker
            // may hand the lock on from frozenAt + TTL: the command must be gone before then.
            assertThat(sections.last("A")).isLessThan(frozenAtWallNanos + TTL.toNanos());
            sections.assertNoOverlap("A", "B");
            assertThat(first.exitCode(EXIT_TIMEOUT)).as(first.stderr()).isEqualTo(ExitCodes.LEASE_LOST);
        }
    }

    @Test
    void a_grandchild_that_ignores_sigterm_is_killed_even_when_its_parent_dies_of_sigterm_first() throws Exception {
        CriticalSections sections = new CriticalSections(dir.resolve("sections.log"));
        Path pid = dir.resolve("grandchild.pid");
        String inner = "trap '' TERM; echo $$ > " + pid + "; " + sections.forever("A");
        try (CliProcess first = run("--ttl", "3s", "--", "sh", "-c", "sh -c \"" + inner + "\" & wait")) {
            Poll.until("the grandchild runs", EXIT_TIMEOUT, () -> Files.exists(pid) && size(pid) > 0);
            childPid = Long.parseLong(Files.readString(pid).strip());
            int code;
            long frozenAtWallNanos = System.currentTimeMillis() * 1_000_000L;
            broker.freeze(); // the lease cannot be confirmed: run stops its command itself
            try {
                code = first.exitCode(EXIT_TIMEOUT);
                Poll.until("the grandchild is gone", GRACE, () -> !alive(childPid));
            } finally {
                broker.thaw();
            }

            assertThat(code).as(first.stderr()).isEqualTo(ExitCodes.LEASE_LOST);
            assertThat(sections.last("A")).isLessThan(frozenAtWallNanos + TTL.toNanos());
        }
    }

    @Test
    void a_command_that_makes_a_process_group_of_its_own_is_stopped_too() throws Exception {
        CriticalSections sections = new CriticalSections(dir.resolve("sections.log"));
        Path pid = dir.resolve("first.pid");
        // GNU timeout puts itself and its command in a new process group.
        String ticks = "echo $$ > " + pid + "; " + sections.forever("A");
        try (CliProcess first = run("--ttl", "3s", "--", "timeout", "100", "sh", "-c", ticks);
                CliProcess second = waiter(sections, pid)) {
            childPid = Long.parseLong(Files.readString(pid).strip());

            first.signal("KILL");

            assertThat(Poll.until("the command is gone", GRACE.plusSeconds(8), () -> !alive(childPid)))
                    .isLessThanOrEqualTo(GRACE);
            assertThat(second.exitCode(EXIT_TIMEOUT)).as(second.stderr()).isZero();
            sections.assertNoOverlap("A", "B");
        }
    }

    @Test
    void sigstop_of_the_wrappers_whole_process_group_stops_its_command_before_the_lease_could_expire()
            throws Exception {
        CriticalSections sections = new CriticalSections(dir.resolve("sections.log"));
        Path pid = dir.resolve("first.pid");
        try (CliProcess first = groupLeadingHolder(sections, pid);
                CliProcess second = waiter(sections, pid)) {
            childPid = Long.parseLong(Files.readString(pid).strip());

            long frozenAtWallNanos = System.currentTimeMillis() * 1_000_000L;
            JavaProcess.signal(-first.pid(), "STOP"); // what Ctrl-Z does to a foreground job
            try {
                assertThat(second.exitCode(EXIT_TIMEOUT)).as(second.stderr()).isZero();
                assertThat(alive(childPid))
                        .as("the frozen wrapper's command still runs")
                        .isFalse();
            } finally {
                JavaProcess.signal(-first.pid(), "CONT");
            }

            assertThat(sections.last("A")).isLessThan(frozenAtWallNanos + TTL.toNanos());
            sections.assertNoOverlap("A", "B");
        }
    }

    @Test
    void a_reader_of_the_commands_output_sees_its_end_when_run_exits() throws Exception {
        ProcessBuilder builder = JavaProcess.lockbroker(
                List.of("run", "--server", broker.url().toString(), "-n", ns, "-q", "--ttl", "8s", "--", "echo", "hi"),
                environment(),
                dir.resolve("unused.out"),
                dir.resolve("piped.err"));
        Process run = builder.redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        try (InputStream out = run.getInputStream()) {
            assertThat(run.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // Nothing the watchdog leaves behind (a timer's sleep) may hold the pipe open.
            CompletableFuture<byte[]> all = CompletableFuture.supplyAsync(() -> readAll(out));
            assertThat(new String(all.get(2, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .isEqualTo("hi\n");
        } finally {
            run.destroyForcibly();
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run whose command ticks as A until stopped, its shell's pid in {@code pid}. */
    private CliProcess holder(CriticalSections sections, Path pid) throws IOException {
        return run("--ttl", "3s", "--", "sh", "-c", "echo $$ > " + pid + "; " + sections.forever("A"));
    }

    /** As {@link #holder}, in a session and process group of its own, as cron or a CI runner starts a job. */
    private CliProcess groupLeadingHolder(CriticalSections sections, Path pid) throws IOException {
        String ticks = "echo $$ > " + pid + "; " + sections.forever("A");
        return CliProcess.startAsGroupLeader(
                dir, broker.url(), environment(), "run", "-n", ns, "-q", "--ttl", "3s", "--", "sh", "-c", ticks);
    }

    /** Once the holder's command runs: a run queued behind it whose command ticks as B ten times. */
    private CliProcess waiter(CriticalSections sections, Path pid) throws Exception {
        return awaitHolderThenQueue(pid, "--ttl", "3s", "--", "sh", "-c", sections.forTicks("B", 10));
    }

    /** Running, as opposed to gone or a zombie (a child of a frozen wrapper is not reaped until it thaws). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).equals(Optional.of(true));
        }
    }
}
