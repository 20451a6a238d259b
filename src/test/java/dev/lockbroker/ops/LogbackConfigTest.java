package dev.lockbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** The shipped logback.xml, loaded into a fresh context, prints what operators are promised. */
class LogbackConfigTest {
    private final PrintStream stdout = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.clearProperty("LOCKBROKER_LOG_FORMAT");
        MDC.clear();
    }

    @Test
    void text_is_the_default_and_every_line_has_a_request_id() throws Exception {
        List<String> lines = logTwice(null);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(" INFO ", "requestId=req-42 - granted orders");
        assertThat(lines.get(1)).contains("requestId=- - swept");
    }

    @Test
    void json_lines_carry_level_logger_message_and_the_request_id() throws Exception {
        List<String> lines = logTwice("json");
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("loggerName").asText()).isEqualTo("dev.lockbroker.test");
        assertThat(first.get("formattedMessage").asText()).isEqualTo("granted orders");
        assertThat(first.get("mdc").get("requestId").asText()).isEqualTo("req-42");
        assertThat(json.readTree(lines.get(1)).get("formattedMessage").asText()).isEqualTo("swept");
    }

    private List<String> logTwice(String format) throws Exception {
        if (format != null) {
            System.setProperty("LOCKBROKER_LOG_FORMAT", format);
        }
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
        Logger log = context.getLogger("dev.lockbroker.test");
        MDC.put("requestId", "req-42");
        log.info("granted {}", "orders");
        MDC.remove("requestId");
        log.info("swept");
        log.debug("not at INFO");
        context.stop();
        System.setOut(stdout);
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
