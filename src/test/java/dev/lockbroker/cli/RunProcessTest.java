package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.support.CliProcess;
import dev.lockbroker.support.JavaProcess;
import dev.lockbroker.support.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code lockbroker run} as real processes against a real broker: mutual exclusion, crashes of
 * holders and waiters, and lease loss. TTLs are 2-3 s to keep each test short.
 */
class RunProcessTest extends AgainstBrokerProcess {

    @Test
    void two_runs_on_one_key_never_overlap_and_the_second_starts_after_the_first_ends() throws Exception {
        Path log = dir.resolve("critical.log");
        String section = "echo start $(date +%s%N) >> " + log + "; sleep 1; echo end $(date +%s%N) >> " + log;

        try (CliProcess first = run("--ttl", "2s", "--", "sh", "-c", section);
                CliProcess second = run("--ttl", "2s", "--", "sh", "-c", section)) {
            assertThat(first.exitCode(EXIT_TIMEOUT)).as(first.stderr()).isZero();
            assertThat(second.exitCode(EXIT_TIMEOUT)).as(second.stderr()).isZero();
        }

        List<String[]> lines =
                Files.readAllLines(log).stream().map(l -> l.split(" ")).toList();
        assertThat(lines).extracting(l -> l[0]).containsExactly("start", "end", "start", "end");
        assertThat(Long.parseLong(lines.get(2)[1])).isGreaterThanOrEqualTo(Long.parseLong(lines.get(1)[1]));
    }

    @Test
    void sigkill_of_a_holder_and_its_child_lets_the_next_waiter_in_within_ttl_plus_one_second() throws Exception {
        Path holderPid = dir.resolve("holder.pid");
        Path granted = dir.resolve("waiter.granted");
        try (CliProcess holder = run("--ttl", "2s", "--", "sh", "-c", "echo $$ > " + holderPid + "; exec sleep 60");
                CliProcess waiter = awaitHolderThenQueue(holderPid, "--ttl", "2s", "--", "touch", granted.toString())) {
            long childPid = Long.parseLong(Files.readString(holderPid).strip());

            JavaProcess.signal(holder.pid(), "KILL");
            JavaProcess.signal(childPid, "KILL");
            Duration handover =
                    Poll.until("the waiter is granted", Duration.ofSeconds(20), () -> Files.exists(granted));

            assertThat(handover).isLessThanOrEqualTo(Duration.ofSeconds(2 + 1));
            assertThat(waiter.exitCode(EXIT_TIMEOUT)).as(waiter.stderr()).isZero();
        }
    }

    @Test
    void sigkill_of_a_waiter_leaves_the_queue_within_the_ticket_ttl_and_does_not_hold_up_the_next() throws Exception {
        Path holderToken = dir.resolve("holder.token");
        Path go = dir.resolve("go");
        Path lastToken = dir.resolve("last.token");
        Path killedToken = dir.resolve("killed.token");
        String holderScript =
                "echo $LOCKBROKER_FENCING_TOKEN > " + holderToken + "; while [ ! -e " + go + " ]; do sleep 0.05; done";
        try (CliProcess holder = run("--ttl", "3s", "--", "sh", "-c", holderScript);
                CliProcess killed = awaitHolderThenQueue(
                        holderToken, "--", "sh", "-c", "echo $LOCKBROKER_FENCING_TOKEN > " + killedToken);
                CliProcess last = queueBehind(2, "--", "sh", "-c", "echo $LOCKBROKER_FENCING_TOKEN > " + lastToken)) {
            JavaProcess.signal(killed.pid(), "KILL");
            // A long-poll in flight when the waiter died keeps its ticket alive until the poll ends.
            Duration left = Poll.until(
                    "the killed waiter leaves the queue",
                    Duration.ofSeconds(LONG_POLL_SECONDS + TICKET_TTL_SECONDS + 1),
                    () -> waiting() == 1);
            Files.createFile(go);

            assertThat(last.exitCode(EXIT_TIMEOUT)).as(last.stderr()).isZero();
            assertThat(holder.exitCode(EXIT_TIMEOUT)).isZero();
            assertThat(left).isLessThanOrEqualTo(Duration.ofSeconds(LONG_POLL_SECONDS + TICKET_TTL_SECONDS + 1));
            assertThat(token(lastToken))
                    .as("nobody held the lock between the holder and the last waiter")
                    .isEqualTo(token(holderToken) + 1);
            assertThat(killedToken).doesNotExist();
        }
    }

    @Test
    void a_run_frozen_past_its_ttl_learns_of_the_loss_stops_its_child_and_exits_74() throws Exception {
        Path holderPid = dir.resolve("holder.pid");
        Path granted = dir.resolve("waiter.granted");
        try (CliProcess holder = run("--ttl", "2s", "--", "sh", "-c", "echo $$ > " + holderPid + "; exec sleep 60");
                CliProcess waiter = awaitHolderThenQueue(holderPid, "--ttl", "2s", "--", "touch", granted.toString())) {
            long childPid = Long.parseLong(Files.readString(holderPid).strip());

            holder.signal("STOP");
            assertThat(waiter.exitCode(EXIT_TIMEOUT)).as(waiter.stderr()).isZero();
            holder.signal("CONT");

            assertThat(holder.exitCode(EXIT_TIMEOUT)).as(holder.stderr()).isEqualTo(74);
            assertThat(holder.stderr()).contains("lease", "stopped sh");
            assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        }
    }

    @Test
    void an_unreachable_broker_stops_the_child_before_the_lease_can_expire_and_exits_74() throws Exception {
        Path ticks = dir.resolve("ticks");
        String ticker = "while :; do date +%s%N >> " + ticks + "; sleep 0.05; done";
        try (CliProcess holder = run("--ttl", "3s", "--", "sh", "-c", ticker)) {
            Poll.until("the child runs", Duration.ofSeconds(20), () -> Files.exists(ticks));
            long frozenAtWallNanos;
            int code;
            broker.freeze();
            try {
                frozenAtWallNanos = System.currentTimeMillis() * 1_000_000L;
                code = holder.exitCode(EXIT_TIMEOUT);
            } finally {
                broker.thaw();
            }

            assertThat(code).as(holder.stderr()).isEqualTo(74);
            assertThat(holder.stderr()).contains("could not be confirmed");
            List<String> lines = Files.readAllLines(ticks);
            long lastTick = Long.parseLong(lines.get(lines.size() - 1).strip());
            // The broker, frozen, renewed nothing after frozenAt: its expiry is at most frozenAt + TTL.
            assertThat(lastTick)
                    .isLessThan(frozenAtWallNanos + Duration.ofSeconds(3).toNanos());
        }
    }

    private static long token(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }
}
