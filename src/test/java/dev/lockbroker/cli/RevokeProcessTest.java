package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.support.CliProcess;
import dev.lockbroker.support.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code lockbroker revoke} against a real broker ends a {@code lockbroker run}'s lease; the run stops its child. */
class RevokeProcessTest extends AgainstBrokerProcess {
    @Test
    void a_revoked_run_stops_its_child_and_exits_74_with_the_reason() throws Exception {
        Path childPid = dir.resolve("child.pid");
        try (CliProcess holder = CliProcess.start(
                dir,
                broker.url(),
                "run",
                "--namespace",
                ns,
                "--shard",
                "eu-1",
                "--quiet",
                "--ttl",
                "3s",
                "--",
                "sh",
                "-c",
                "echo $$ > " + childPid + "; exec sleep 60")) {
            Poll.until(
                    "the child runs",
                    Duration.ofSeconds(20),
                    () -> Files.exists(childPid) && !read(childPid).isEmpty());
            long pid = Long.parseLong(read(childPid));

            try (CliProcess wrongToken = CliProcess.start(
                    dir,
                    broker.url(),
                    "revoke",
                    "--namespace",
                    ns,
                    "--shard",
                    "eu-1",
                    "--fencing-token",
                    "999",
                    "--reason",
                    "wrong one")) {
                assertThat(wrongToken.exitCode(EXIT_TIMEOUT)).isEqualTo(1);
                assertThat(wrongToken.stderr()).contains("999");
            }
            try (CliProcess revoke = CliProcess.start(
                    dir, broker.url(), "revoke", "--namespace", ns, "--shard", "eu-1", "--reason", "runaway job")) {
                assertThat(revoke.exitCode(EXIT_TIMEOUT)).as(revoke.stderr()).isZero();
                assertThat(revoke.stdout()).contains("revoked " + ns + "~", "fencing token");
            }

            assertThat(holder.exitCode(EXIT_TIMEOUT)).as(holder.stderr()).isEqualTo(ExitCodes.LEASE_LOST);
            assertThat(holder.stderr()).contains("runaway job");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
