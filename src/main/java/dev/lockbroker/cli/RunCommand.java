package dev.lockbroker.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lockbroker run}: waits for the lock, runs a command while holding it, releases it. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        sortOptions = false,
        description = {
            "Waits in the lock's FIFO queue, then runs CMD while holding the lock, heartbeating every TTL/3, and releases it when CMD exits.",
            "CMD gets LOCKBROKER_LEASE_ID, LOCKBROKER_FENCING_TOKEN, LOCKBROKER_NAMESPACE and LOCKBROKER_SHARD (empty for the whole namespace).",
            "SIGINT, SIGTERM and SIGHUP are forwarded to CMD. If the lease is lost or cannot be confirmed, CMD is stopped (SIGTERM, then SIGKILL) before the lease can expire, and run exits 74.",
            "A watchdog process keeps that promise when run itself is killed (even with SIGKILL) or frozen: CMD runs in a process group of its own (when no terminal is attached), and the group is stopped once run is gone or its last confirmed deadline passes.",
            "'--' before CMD is optional: the first argument that is not an option starts it.",
            "Progress (position, how many ahead, ETA) goes to stderr while waiting."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  lockbroker run --namespace deploys --shard eu-1 --wait 10m -- ./deploy.sh eu-1",
            "  lockbroker run -n backups --shared --ttl 1m -- pg_dump -f dump.sql mydb",
            "  LOCKBROKER_URL=http://broker:8080 lockbroker run -n cron -w 0 -- ./nightly.sh   # skip if busy"
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {
            "n:CMD's own exit code.",
            ExitCodes.L_USAGE,
            ExitCodes.L_UNAVAILABLE,
            ExitCodes.L_BUSY,
            ExitCodes.L_TIMED_OUT,
            ExitCodes.L_LEASE_LOST,
            "126:CMD is not executable; 127: CMD was not found.",
            "130/143:Interrupted (SIGINT/SIGTERM) while waiting; the queue was left.",
            ExitCodes.L_OTHER
        })
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LockOptions lock;

    @Mixin
    BrokerOptions broker;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress on stderr.")
    boolean quiet;

    @Parameters(
            arity = "1..*",
            paramLabel = "CMD",
            description = "The command and its arguments (-- before it is optional).")
    List<String> command;

    /** The parsed command. */
    ClientCall toCall() {
        return new ClientCall.Run(lock.args(), broker.args(), quiet, command);
    }

    @Override
    public Integer call() throws InterruptedException {
        return ClientCommands.execute(spec, toCall());
    }
}
