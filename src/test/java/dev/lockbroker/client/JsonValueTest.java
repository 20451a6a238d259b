package dev.lockbroker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's JSON against Jackson, which it replaced: the wire shapes of openapi.yaml (lease,
 * ticket, namespace status, namespace list, error, revoke result) and awkward text read to the same
 * values, and written to the same text, compact and pretty.
 */
class JsonValueTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static final List<String> DOCUMENTS =
            List.of("""
            {"leaseId":"deploys~AbC-12_x","namespace":"deploys","shard":"eu-1","mode":"exclusive","fencingToken":42,
             "ttlSeconds":30,"grantedAt":"2026-12-02T00:56:05.242Z","expiresAt":"2026-12-02T00:56:35.242Z",
             "holder":{"name":"ci","host":"runner-7","pid":4242}}""", """
            {"ticketId":"t-1","namespace":"deploys","shard":null,"mode":"shared","position":2,"ahead":1,
             "etaSeconds":12.5,"etaExceedsDeadline":false,"waitedSeconds":0.301,"deadline":"2026-12-02T01:06:05Z",
             "holders":[{"shard":"a","mode":"exclusive","holder":{"name":"alice","host":null},"fencingToken":7,
             "heldSeconds":3.0,"expiresAt":"2026-12-02T00:57:00Z"}]}""", """
            {"ticketId":"t-2","position":1,"ahead":0,"etaSeconds":null,"etaExceedsDeadline":true,"holders":[]}""", """
            {"namespace":"deploys","holders":1,"waiting":2,"locks":[{"shard":null,"holders":[],"queue":[
             {"shard":null,"position":1,"mode":"exclusive","holder":{"name":"bob","host":"h","pid":1},"waitedSeconds":1.25}]},
             {"shard":"eu-1","holders":[],"queue":[]}]}""", """
            {"namespaces":[{"namespace":"a","holders":0,"waiting":0},{"namespace":"b","holders":3,"waiting":1}]}""", """
            {"error":"lease_ended","reason":"revoked","message":"revoked: stuck since \\"Tuesday\\"\\n\\ttab \\u00e9 \\u0001 \\/ \\\\"}""", """
            {"revoked":[{"leaseId":"x~1","fencingToken":9007199254740993},{"leaseId":"x~2","fencingToken":-1}]}""", """
            {"empty":{},"emptyArray":[],"nested":[[1,2],[[]],{"a":[{}]}],"t":true,"f":false,"n":null,"z":0,"d":-0.5,
             "unicode":"snow \u2603 and \\ud83d\\ude00","a":1,"a":2}""", "[]", "\"just text\"", "  12 ");

    @Test
    void reads_what_jackson_reads() throws Exception {
        for (String text : DOCUMENTS) {
            assertSame(JsonReader.read(text), JACKSON.readTree(text), text);
        }
    }

    @Test
    void writes_what_jackson_writes_compact_and_pretty() throws Exception {
        for (String text : DOCUMENTS) {
            JsonNode jackson = JACKSON.readTree(text);
            JsonValue mine = JsonReader.read(text);
            assertThat(mine.toString()).as(text).isEqualTo(JACKSON.writeValueAsString(jackson));
            assertThat(mine.pretty())
                    .as(text)
                    .isEqualTo(JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(jackson));
        }
    }

    @Test
    void built_objects_keep_their_order_and_write_null_for_null() throws Exception {
        JsonValue built = WireJson.object("b", "x\u0007", "a", 5L, "c", null, "d", WireJson.object());

        assertThat(built.toString()).isEqualTo("{\"b\":\"x\\u0007\",\"a\":5,\"c\":null,\"d\":{}}");
        assertThat(JACKSON.readTree(built.toString()).path("b").asText()).isEqualTo("x\u0007");
    }

    @Test
    void absent_things_read_as_jackson_reads_them() throws Exception {
        JsonValue mine = JsonReader.read("{\"n\":null,\"s\":\"7\",\"o\":{}}");
        JsonNode jackson = JACKSON.readTree("{\"n\":null,\"s\":\"7\",\"o\":{}}");
        for (String name : List.of("n", "s", "o", "missing")) {
            assertSame(mine.path(name), jackson.path(name), name);
            assertSame(mine.path(name).path("deeper"), jackson.path(name).path("deeper"), name + ".deeper");
            assertThat(mine.path(name).asText("fallback"))
                    .isEqualTo(jackson.path(name).asText("fallback"));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{",
                "{\"a\":1,}",
                "[1,]",
                "{\"a\" 1}",
                "{a:1}",
                "tru",
                "nul",
                "01",
                "1.",
                "-",
                "1e",
                "\"unterminated",
                "\"bad \\x escape\"",
                "\"\\u12\"",
                "[\"tab\tinside\"]",
                "'single'"
            })
    void refuses_what_jackson_refuses(String text) {
        assertThatThrownBy(() -> JACKSON.readTree(text).isMissingNode())
                .as("Jackson")
                .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(Exception.class));
        assertThatThrownBy(() -> JsonReader.read(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nesting_is_bounded() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 2) + "]".repeat(JsonReader.MAX_DEPTH + 2);

        assertThatThrownBy(() -> JsonReader.read(deep)).hasMessageContaining("nested deeper");
    }

    /** Same kind, same accessor answers, same children, all the way down. */
    private static void assertSame(JsonValue mine, JsonNode jackson, String where) {
        assertThat(mine.isTextual()).as(where).isEqualTo(jackson.isTextual());
        assertThat(mine.isNumber()).as(where).isEqualTo(jackson.isNumber());
        assertThat(mine.isMissing()).as(where).isEqualTo(jackson.isMissingNode());
        assertThat(mine.asText()).as(where).isEqualTo(jackson.asText());
        assertThat(mine.asLong()).as(where).isEqualTo(jackson.asLong());
        assertThat(mine.asInt()).as(where).isEqualTo(jackson.asInt());
        assertThat(mine.asDouble()).as(where).isEqualTo(jackson.asDouble());
        assertThat(mine.asBoolean()).as(where).isEqualTo(jackson.asBoolean());
        if (jackson.isObject()) {
            for (Map.Entry<String, JsonNode> field : jackson.properties()) {
                assertSame(mine.path(field.getKey()), field.getValue(), where + "." + field.getKey());
            }
        }
        Iterator<JsonValue> mineChildren = mine.iterator();
        for (JsonNode child : jackson) {
            assertThat(mineChildren.hasNext()).as(where).isTrue();
            assertSame(mineChildren.next(), child, where + "[]");
        }
        assertThat(mineChildren.hasNext()).as(where).isFalse();
    }
}
