package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The hand parser against picocli, the parser it stands in for: whatever it takes, picocli takes to
 * the same command and values; what it leaves (help, errors, odd forms) picocli still answers.
 */
class ClientArgsTest {
    @CommandLine.Command(name = "lockbroker")
    static final class Top {}

    /** Every form the fast path is meant to take, beside ones it must leave to picocli. */
    private static final List<String> VECTORS = List.of(
            "run -n x -- true",
            "run -n x true",
            "run --namespace x --shard a --shared -w 0 --ttl 3s --holder alice -q --server http://h:1 -- sh -c exit",
            "run --namespace=x --shard=a --wait=5s --ttl=1m --server=http://h:1/?a=b true",
            "run -n x -q sh -c echo -n --quiet",
            "run -n x -- -- true",
            "run -n x -- sh -c -- --server",
            "run -q -n x -s a true --help",
            "run -n x --wait 2h -- true",
            "run -n x --ttl 1500ms -- true",
            "run -n x --wait 0 true",
            "run -s a true",
            "run -n x",
            "run -n x --",
            "run -n x -n y true",
            "run -n x -q -q true",
            "run -n x --quiet=true true",
            "run -n x --shared=false true",
            "run -nx true",
            "run -n=x true",
            "run -qn x true",
            "run -n x --wait 5x true",
            "run -n x --wait -1s true",
            "run -n -q true",
            "run -n x --bogus true",
            "run -n x -h",
            "run --help",
            "run -V",
            "run -n x --holder -bob true",
            "run -n x --shard= true",
            "acquire -n x",
            "acquire -n x -s a --ttl 60s --wait 0 -q",
            "acquire -n x extra",
            "acquire",
            "heartbeat lease-1",
            "heartbeat --server http://h:1 lease-1",
            "heartbeat lease-1 --server http://h:1",
            "heartbeat -- lease-1",
            "heartbeat",
            "heartbeat a b",
            "heartbeat -q a",
            "release lease-1",
            "release a b",
            "release -- -x",
            "status",
            "status ns",
            "status ns --json",
            "status --json",
            "status a b",
            "status --json --json",
            "revoke lease-1 --reason why",
            "revoke --namespace ns --shard a --fencing-token 42 --reason runaway",
            "revoke --namespace ns --fencing-token 010 --reason r",
            "revoke --namespace ns --fencing-token 0x10 --reason r",
            "revoke --namespace ns --fencing-token 0 --reason r",
            "revoke lease-1",
            "revoke -n ns --reason r",
            "revoke a b --reason r",
            "server --port 0",
            "bogus",
            "--help");

    @Test
    void whatever_the_fast_parser_takes_picocli_takes_to_the_same_command() {
        int taken = 0;
        for (String line : VECTORS) {
            List<String> args = List.of(line.split(" "));
            Optional<ClientCall> fast = ClientArgs.parse(args, System.getenv());
            if (fast.isPresent()) {
                taken++;
                assertThat(picocli(args)).as(line).contains(fast.get());
            }
        }
        assertThat(taken).isEqualTo(26);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "run -n x -- true",
                "run -n x true",
                "run -n x -q sh -c echo -n --quiet",
                "acquire -n x -s a --ttl 60s",
                "heartbeat lease-1",
                "release lease-1",
                "status",
                "status ns --json",
                "revoke --namespace ns --shard a --fencing-token 42 --reason runaway"
            })
    void the_usual_forms_take_the_fast_path(String line) {
        assertThat(ClientArgs.parse(List.of(line.split(" ")), Map.of())).isPresent();
    }

    @Test
    void values_and_defaults_are_picoclis() {
        var call = ClientArgs.parse(List.of("run", "-n", "x", "-q", "sh", "-c", "echo -n"), Map.of());

        assertThat(call)
                .contains(new ClientCall.Run(
                        new LockArgs("x", null, false, Duration.ofMinutes(10), Duration.ofSeconds(30), null),
                        new BrokerArgs("http://localhost:8080", null),
                        true,
                        List.of("sh", "-c", "echo -n")));
    }

    @Test
    void the_server_comes_from_lockbroker_url_even_when_empty() {
        assertThat(BrokerArgs.defaultServer(Map.of("LOCKBROKER_URL", "http://b:9")))
                .isEqualTo("http://b:9");
        assertThat(BrokerArgs.defaultServer(Map.of("LOCKBROKER_URL", ""))).isEmpty();
        assertThat(BrokerArgs.defaultServer(Map.of())).isEqualTo("http://localhost:8080");
    }

    @Test
    void an_argument_starting_with_at_is_passed_on_as_it_is_not_read_as_a_file(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("args"), "expanded\n");
        List<String> args = List.of("run", "-n", "x", "--", "curl", "-d", "@" + file);

        List<String> expected = List.of("curl", "-d", "@" + file);
        assertThat(ClientArgs.parse(args, Map.of()).map(c -> ((ClientCall.Run) c).command()))
                .contains(expected);
        assertThat(picocli(args).map(c -> ((ClientCall.Run) c).command())).contains(expected);
    }

    /** What picocli parses {@code args} to, as Main sets it up; empty for help and for errors. */
    private static Optional<ClientCall> picocli(List<String> args) {
        CommandLine top = new CommandLine(new Top());
        ClientCommands.addTo(top);
        try {
            CommandLine.ParseResult result = top.parseArgs(args.toArray(String[]::new));
            if (!result.hasSubcommand()
                    || result.subcommand().isUsageHelpRequested()
                    || result.subcommand().isVersionHelpRequested()) {
                return Optional.empty();
            }
            Object command = result.subcommand().commandSpec().userObject();
            return Optional.of(
                    switch (command) {
                        case RunCommand c -> c.toCall();
                        case AcquireCommand c -> c.toCall();
                        case HeartbeatCommand c -> c.toCall();
                        case ReleaseCommand c -> c.toCall();
                        case StatusCommand c -> c.toCall();
                        case RevokeCommand c -> c.toCall();
                        default -> throw new AssertionError(command);
                    });
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
    }
}
