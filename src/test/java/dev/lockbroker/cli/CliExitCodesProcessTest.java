package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockbroker.support.CliProcess;
import dev.lockbroker.support.Poll;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every documented exit code of the client commands, from real processes against a real broker. */
class CliExitCodesProcessTest extends AgainstBrokerProcess {

    @Test
    void run_exits_with_the_childs_exit_code_and_releases() throws Exception {
        try (CliProcess run = cli("run", "-n", ns, "-q", "--", "sh", "-c", "exit 3")) {
            assertThat(run.exitCode(EXIT_TIMEOUT)).isEqualTo(3);
        }
        assertThat(client.status(ns).holders()).isZero();
    }

    @Test
    void bad_arguments_exit_64_with_usage() throws Exception {
        try (CliProcess run = cli("run", "-n", ns, "--ttl", "soon", "--", "true")) {
            assertThat(run.exitCode(EXIT_TIMEOUT)).isEqualTo(64);
            assertThat(run.stderr()).contains("Usage: lockbroker run", "500ms, 30s, 10m, 1h");
        }
    }

    @Test
    void an_unreachable_broker_exits_69_naming_the_url() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + closedPort());
        try (CliProcess run = CliProcess.start(dir, closed, "run", "-n", ns, "-q", "--", "true")) {
            assertThat(run.exitCode(EXIT_TIMEOUT)).isEqualTo(69);
            assertThat(run.stderr()).contains(closed.toString());
        }
    }

    @Test
    void a_command_that_does_not_exist_exits_127_and_releases() throws Exception {
        try (CliProcess run =
                cli("run", "-n", ns, "-q", "--", dir.resolve("no-such-command").toString())) {
            assertThat(run.exitCode(EXIT_TIMEOUT)).isEqualTo(127);
        }
        assertThat(client.status(ns).holders()).isZero();
    }

    @Test
    void a_command_that_is_not_executable_exits_126_and_releases() throws Exception {
        Path script = Files.writeString(dir.resolve("not-executable.sh"), "#!/bin/sh\nexit 0\n");
        try (CliProcess run = cli("run", "-n", ns, "-q", "--", script.toString())) {
            assertThat(run.exitCode(EXIT_TIMEOUT)).isEqualTo(126);
            assertThat(run.stderr()).contains("not executable");
        }
        assertThat(client.status(ns).holders()).isZero();
    }

    @Test
    void an_unknown_watchdog_mode_exits_64_before_joining_the_queue() throws Exception {
        try (CliProcess run = CliProcess.start(
                dir, broker.url(), Map.of(Watchdog.MODE_ENV, "Group"), "run", "-n", ns, "-q", "--", "true")) {
            assertThat(run.exitCode(EXIT_TIMEOUT)).isEqualTo(64);
            assertThat(run.stderr()).contains(Watchdog.MODE_ENV);
        }
        assertThat(client.status(ns).holders()).isZero();
    }

    @Test
    void the_command_needs_no_double_dash_and_keeps_its_own_options() throws Exception {
        Path out = dir.resolve("out");
        try (CliProcess run = cli("run", "-n", ns, "-q", "sh", "-c", "echo \"$0 $1\" > " + out, "-n", "--quiet")) {
            assertThat(run.exitCode(EXIT_TIMEOUT)).as(run.stderr()).isZero();
        }
        assertThat(Files.readString(out).strip()).isEqualTo("-n --quiet");
    }

    @Test
    void the_wait_deadline_exits_76_and_a_busy_lock_75_naming_the_holder_and_how_long_it_held() throws Exception {
        Path go = dir.resolve("go");
        Path started = dir.resolve("started");
        String hold = "touch " + started + "; while [ ! -e " + go + " ]; do sleep 0.05; done";
        try (CliProcess holder = cli("run", "-n", ns, "-q", "--holder", "alice", "--", "sh", "-c", hold)) {
            Poll.until("the holder runs", EXIT_TIMEOUT, () -> Files.exists(started));
            try (CliProcess waiter = cli("run", "-n", ns, "--wait", "1s", "--", "true")) {
                assertThat(waiter.exitCode(EXIT_TIMEOUT)).isEqualTo(76);
                assertThat(waiter.stderr()).contains("held by alice@", " for ");
            }
            try (CliProcess tryOnce = cli("acquire", "-n", ns, "--wait", "0")) {
                assertThat(tryOnce.exitCode(EXIT_TIMEOUT)).isEqualTo(75);
                assertThat(tryOnce.stderr()).contains("held by alice@");
            }
            Files.createFile(go);
            assertThat(holder.exitCode(EXIT_TIMEOUT)).isZero();
        }
    }

    @Test
    void sigterm_and_sigint_reach_the_child_and_run_exits_with_its_code() throws Exception {
        for (String signal : new String[] {"TERM", "INT"}) {
            Path ready = dir.resolve("ready-" + signal);
            Path got = dir.resolve("got-" + signal);
            String script = "trap 'echo got > " + got + "; exit 7' " + signal + "; touch " + ready
                    + "; while :; do sleep 0.05; done";
            try (CliProcess run = cli("run", "-n", ns, "-q", "--", "sh", "-c", script)) {
                Poll.until("the child runs", EXIT_TIMEOUT, () -> Files.exists(ready));
                run.signal(signal);
                assertThat(run.exitCode(EXIT_TIMEOUT))
                        .as(signal + ": " + run.stderr())
                        .isEqualTo(7);
                assertThat(got).exists();
            }
            assertThat(client.status(ns).holders()).isZero();
        }
    }

    @Test
    void sigint_while_waiting_leaves_the_queue_and_exits_130() throws Exception {
        Path go = dir.resolve("go");
        Path started = dir.resolve("started");
        String hold = "touch " + started + "; while [ ! -e " + go + " ]; do sleep 0.05; done";
        try (CliProcess holder = cli("run", "-n", ns, "-q", "--", "sh", "-c", hold)) {
            Poll.until("the holder runs", EXIT_TIMEOUT, () -> Files.exists(started));
            try (CliProcess waiter = cli("run", "-n", ns, "-q", "--", "true")) {
                Poll.until("the waiter is queued", EXIT_TIMEOUT, () -> waiting() == 1);
                waiter.signal("INT");
                assertThat(waiter.exitCode(EXIT_TIMEOUT)).isEqualTo(130);
            }
            assertThat(waiting()).isZero();
            Files.createFile(go);
            assertThat(holder.exitCode(EXIT_TIMEOUT)).isZero();
        }
    }

    @Test
    void script_commands_acquire_heartbeat_release_and_report_an_ended_lease_with_74() throws Exception {
        String leaseId;
        try (CliProcess acquire = cli("acquire", "-n", ns, "-s", "a", "--ttl", "60s")) {
            assertThat(acquire.exitCode(EXIT_TIMEOUT)).as(acquire.stderr()).isZero();
            JsonNode lease = new ObjectMapper().readTree(acquire.stdout());
            assertThat(lease.path("shard").asText()).isEqualTo("a");
            assertThat(lease.path("fencingToken").asLong()).isPositive();
            leaseId = lease.path("leaseId").asText();
        }
        try (CliProcess heartbeat = cli("heartbeat", leaseId)) {
            assertThat(heartbeat.exitCode(EXIT_TIMEOUT)).isZero();
            assertThat(heartbeat.stdout()).contains(leaseId);
        }
        try (CliProcess status = cli("status", ns)) {
            assertThat(status.exitCode(EXIT_TIMEOUT)).isZero();
            assertThat(status.stdout()).contains("held", "exclusive");
        }
        try (CliProcess release = cli("release", leaseId)) {
            assertThat(release.exitCode(EXIT_TIMEOUT)).isZero();
        }
        try (CliProcess heartbeat = cli("heartbeat", leaseId)) {
            assertThat(heartbeat.exitCode(EXIT_TIMEOUT)).isEqualTo(74);
        }
    }

    private CliProcess cli(String... args) throws IOException {
        return CliProcess.start(dir, broker.url(), args);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
