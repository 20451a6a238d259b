package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.client.TicketInfo;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.HolderView;
import dev.lockbroker.core.Mode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line names who holds the lock, from where, and for how long. */
class ProgressReporterTest {
    private static TicketInfo ticket(List<HolderView> holders) {
        return new TicketInfo("t", "ns", "s", Mode.EXCLUSIVE, 2, 1, 9.5, true, 0.3, Instant.EPOCH, holders);
    }

    @Test
    void the_line_names_the_holder_its_host_pid_and_how_long_it_has_held() {
        StringWriter out = new StringWriter();
        var holder = new HolderView("s", Mode.EXCLUSIVE, new Holder("sync-1", "ci-7", 4242L), 7, 12_000, 0);
        try (var reporter = new ProgressReporter(new PrintWriter(out), "ns/s", false, false)) {
            reporter.update(ticket(List.of(holder, holder)));
        }
        assertThat(out.toString())
                .contains("position 2, 1 ahead, held by sync-1@ci-7 pid 4242 for 12s and 1 more, ETA ~")
                .contains("(past the deadline)");
    }

    @Test
    void without_holders_the_line_says_nothing_of_them() {
        StringWriter out = new StringWriter();
        try (var reporter = new ProgressReporter(new PrintWriter(out), "ns", false, false)) {
            reporter.update(ticket(List.of()));
        }
        assertThat(out.toString()).contains("position 2, 1 ahead, ETA ~").doesNotContain("held by");
    }
}
