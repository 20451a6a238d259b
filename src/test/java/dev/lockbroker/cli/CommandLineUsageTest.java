package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The client commands in-process under a stand-in top command, as Main adds them. */
class CommandLineUsageTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @CommandLine.Command(name = "lockbroker")
    static final class Top {}

    private int run(String... args) {
        CommandLine top = new CommandLine(new Top());
        ClientCommands.addTo(top);
        top.setOut(new PrintWriter(out, true));
        top.setErr(new PrintWriter(err, true));
        return top.execute(args);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "run -- true",
                "run -n ns",
                "run -n ns --wait 5x -- true",
                "run -n ns --wait 2h -- true",
                "run -n ns --ttl 0s -- true",
                "run -n ns --ttl 1500ms -- true",
                "run -n ns/evil -- true",
                "run -n ns --server ftp://x -- true",
                "status --server https://127.0.0.1:1 --ca-file /nonexistent/ca.pem",
                "run -n ns --bogus -- true",
                "acquire",
                "heartbeat",
                "release a b",
                "status a b",
                "status ../x"
            })
    void bad_arguments_exit_64_with_usage(String args) {
        int code = run(args.split(" "));

        assertThat(code).isEqualTo(64);
        assertThat(err.toString()).contains("Usage: lockbroker ");
    }

    @Test
    void help_of_every_command_documents_exit_codes_and_examples() {
        for (String command : new String[] {"run", "acquire", "heartbeat", "release", "status"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).contains("Exit codes:", "Examples:", "64", "69");
        }
    }

    @Test
    void unreachable_broker_exits_69_naming_the_url() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();

        int code = run("run", "-n", "ns", "--wait", "5s", "--quiet", "--server", url, "--", "true");

        assertThat(code).isEqualTo(69);
        assertThat(err.toString()).contains(url);
    }

    @Test
    void unreachable_broker_exits_69_for_script_commands_too() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();

        assertThat(run("acquire", "-n", "ns", "-q", "--server", url)).isEqualTo(69);
        assertThat(run("heartbeat", "--server", url, "some-lease")).isEqualTo(69);
        assertThat(run("release", "--server", url, "some-lease")).isEqualTo(69);
        assertThat(run("status", "--server", url)).isEqualTo(69);
        assertThat(err.toString()).contains(url);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
