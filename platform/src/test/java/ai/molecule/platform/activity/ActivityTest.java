package ai.molecule.platform.activity;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Activity log, notify and session search (spec §1.5). */
class ActivityTest {
    static final String INVALID_TYPE = "invalid activity_type, must be one of: a2a_send, a2a_receive, task_update, "
            + "agent_log, skill_promotion, memory_write, error";
    static TestPlatform platform;
    static Http http;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("MOLECULE_ENV", "development");
        http = platform.http();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a2a_send", "a2a_receive", "task_update", "agent_log", "skill_promotion", "memory_write", "error"})
    void everyValidTypeIsLogged(String type) {
        String id = workspace();
        Http.Response r = http.post("/workspaces/" + id + "/activity", "{\"activity_type\":\"" + type + "\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"logged\"}");
        JsonNode list = http.get("/workspaces/" + id + "/activity?type=" + type).json();
        assertThat(list).hasSize(1);
        JsonNode row = list.get(0);
        assertThat(row.get("activity_type").asText()).isEqualTo(type);
        assertThat(row.get("status").asText()).as("status defaults to ok").isEqualTo("ok");
        assertThat(row.get("source_id").asText()).as("source defaults to :id").isEqualTo(id);
        assertThat(row.get("workspace_id").asText()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"activity_type\":\"bogus\"}", "{\"activity_type\":\"A2A_SEND\"}"})
    void invalidTypeIs400(String body) {
        Http.Response r = http.post("/workspaces/" + workspace() + "/activity", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo(INVALID_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"activity_type\":\"\"}", "{\"activity_type\":7}", "not json",
            "{\"activity_type\":\"agent_log\",\"source_id\":\"nope\"}",
            "{\"activity_type\":\"agent_log\",\"duration_ms\":\"slow\"}"})
    void malformedBodyIs400(String body) {
        Http.Response r = http.post("/workspaces/" + workspace() + "/activity", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"invalid request body\"}");
    }

    @Test
    void sourceIdMustBeTheWorkspaceItself() {
        String id = workspace(), other = workspace();
        Http.Response r = http.post("/workspaces/" + id + "/activity",
                "{\"activity_type\":\"agent_log\",\"source_id\":\"" + other + "\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"error\":\"source_id must match authenticated workspace\"}");
        assertThat(http.post("/workspaces/" + id + "/activity",
                "{\"activity_type\":\"agent_log\",\"source_id\":\"" + id + "\"}").status()).isEqualTo(200);
        assertThat(http.get("/workspaces/" + id + "/activity").json()).hasSize(1);
    }

    @Test
    void allFieldsRoundTripAndEmitActivityLogged() {
        String id = workspace(), target = workspace();
        try (WsClient ws = WsClient.connect(http.base())) {
            Http.Response r = http.post("/workspaces/" + id + "/activity", """
                    {"activity_type":"a2a_send","method":"message/send","summary":"asked for a plan","target_id":"%s",
                     "status":"error","error_detail":"boom","duration_ms":42,
                     "request_body":{"q":1},"response_body":{"a":[1,2]}}""".formatted(target));
            assertThat(r.status()).isEqualTo(200);

            JsonNode row = http.get("/workspaces/" + id + "/activity").json().get(0);
            assertThat(row.get("method").asText()).isEqualTo("message/send");
            assertThat(row.get("summary").asText()).isEqualTo("asked for a plan");
            assertThat(row.get("target_id").asText()).isEqualTo(target);
            assertThat(row.get("status").asText()).isEqualTo("error");
            assertThat(row.get("error_detail").asText()).isEqualTo("boom");
            assertThat(row.get("duration_ms").asInt()).isEqualTo(42);
            assertThat(row.get("request_body").toString()).isEqualTo("{\"q\":1}");
            assertThat(row.get("response_body").toString()).isEqualTo("{\"a\":[1,2]}");
            assertThat(row.has("tool_trace")).isFalse();

            JsonNode event = awaitEvent(ws, id, "ACTIVITY_LOGGED");
            assertThat(event.fieldNames()).toIterable().containsExactly("event", "workspace_id", "timestamp", "payload");
            JsonNode p = event.get("payload");
            assertThat(p.fieldNames()).toIterable().containsExactlyInAnyOrder(
                    "activity_type", "method", "summary", "status", "source_id", "target_id", "duration_ms");
            assertThat(p.get("activity_type").asText()).isEqualTo("a2a_send");
            assertThat(p.get("method").asText()).isEqualTo("message/send");
            assertThat(p.get("summary").asText()).isEqualTo("asked for a plan");
            assertThat(p.get("status").asText()).isEqualTo("error");
            assertThat(p.get("source_id").asText()).isEqualTo(id);
            assertThat(p.get("target_id").asText()).isEqualTo(target);
            assertThat(p.get("duration_ms").asInt()).isEqualTo(42);
        }
    }

    @Test
    void metadataIsStoredAsRequestBodyOnlyWhenRequestBodyIsAbsent() {
        String id = workspace();
        http.post("/workspaces/" + id + "/activity", "{\"activity_type\":\"agent_log\",\"summary\":\"m\",\"metadata\":{\"k\":\"v\"}}");
        http.post("/workspaces/" + id + "/activity",
                "{\"activity_type\":\"agent_log\",\"summary\":\"both\",\"request_body\":{\"real\":true},\"metadata\":{\"k\":\"v\"}}");
        JsonNode list = http.get("/workspaces/" + id + "/activity").json();
        assertThat(list.get(0).get("summary").asText()).isEqualTo("both");
        assertThat(list.get(0).get("request_body").toString()).isEqualTo("{\"real\":true}");
        assertThat(list.get(1).get("request_body").toString()).isEqualTo("{\"k\":\"v\"}");
    }

    @Test
    void listIsNewestFirstWithTypeSourceAndLimitFilters() {
        String id = workspace();
        assertThat(http.get("/workspaces/" + id + "/activity").body()).isEqualTo("[]");
        for (String s : List.of("first", "second", "third")) {
            http.post("/workspaces/" + id + "/activity", "{\"activity_type\":\"task_update\",\"summary\":\"" + s + "\"}");
        }
        http.post("/workspaces/" + id + "/activity", "{\"activity_type\":\"error\",\"summary\":\"oops\"}");
        http.post("/workspaces/" + id + "/notify", "{\"message\":\"hello user\"}");

        assertThat(summaries(http.get("/workspaces/" + id + "/activity").json()))
                .containsExactly("Agent message: hello user", "oops", "third", "second", "first");
        assertThat(summaries(http.get("/workspaces/" + id + "/activity?type=task_update").json()))
                .containsExactly("third", "second", "first");
        assertThat(summaries(http.get("/workspaces/" + id + "/activity?limit=2").json()))
                .containsExactly("Agent message: hello user", "oops");
        assertThat(summaries(http.get("/workspaces/" + id + "/activity?type=task_update&limit=1").json()))
                .containsExactly("third");
        assertThat(summaries(http.get("/workspaces/" + id + "/activity?source=canvas").json()))
                .containsExactly("Agent message: hello user");
        assertThat(summaries(http.get("/workspaces/" + id + "/activity?source=agent").json()))
                .containsExactly("oops", "third", "second", "first");
        assertThat(http.get("/workspaces/" + id + "/activity?type=memory_write").body()).isEqualTo("[]");

        Http.Response bad = http.get("/workspaces/" + id + "/activity?source=x");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"error\":\"source must be 'canvas' or 'agent'\"}");
    }

    @Test
    void nullJsonColumnsAreOmittedOtherNullsAreExplicit() {
        String id = workspace();
        http.post("/workspaces/" + id + "/activity", "{\"activity_type\":\"agent_log\"}");
        Http.Response r = http.get("/workspaces/" + id + "/activity");
        JsonNode row = r.json().get(0);
        assertThat(row.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "workspace_id", "activity_type",
                "source_id", "target_id", "method", "summary", "duration_ms", "status", "error_detail", "created_at");
        assertThat(r.body()).contains("\"target_id\":null", "\"method\":null", "\"summary\":null", "\"duration_ms\":null",
                "\"error_detail\":null");
    }

    @Test
    void notifyBroadcastsAgentMessageAndLogsARawRow() {
        String id = platform.createWorkspace("{\"name\":\"Notifier\"}");
        try (WsClient ws = WsClient.connect(http.base())) {
            Http.Response r = http.post("/workspaces/" + id + "/notify", "{\"message\":\"build finished\"}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"sent\"}");

            JsonNode p = awaitEvent(ws, id, "AGENT_MESSAGE").get("payload");
            assertThat(p.fieldNames()).toIterable().containsExactlyInAnyOrder("message", "workspace_id", "name");
            assertThat(p.get("message").asText()).isEqualTo("build finished");
            assertThat(p.get("workspace_id").asText()).isEqualTo(id);
            assertThat(p.get("name").asText()).isEqualTo("Notifier");

            JsonNode row = http.get("/workspaces/" + id + "/activity").json().get(0);
            assertThat(row.get("activity_type").asText()).isEqualTo("a2a_receive");
            assertThat(row.get("method").asText()).isEqualTo("notify");
            assertThat(row.get("source_id").isNull()).isTrue();
            assertThat(row.get("summary").asText()).isEqualTo("Agent message: build finished");
            assertThat(row.get("response_body").toString()).isEqualTo("{\"result\":\"build finished\"}");
            assertThat(row.has("request_body")).isFalse();

            // the notify row is a raw insert: no ACTIVITY_LOGGED for it (events arrive in order)
            http.post("/workspaces/" + id + "/activity", "{\"activity_type\":\"agent_log\",\"summary\":\"marker\"}");
            awaitEvent(ws, id, "ACTIVITY_LOGGED");
            assertThat(ws.frames().stream().filter(f -> f.path("event").asText().equals("ACTIVITY_LOGGED"))
                    .map(f -> f.path("payload").path("summary").asText())).containsExactly("marker");
        }
    }

    @Test
    void notifyWithAttachments() {
        String id = platform.createWorkspace("{\"name\":\"Files\"}");
        String message = "x".repeat(100);
        try (WsClient ws = WsClient.connect(http.base())) {
            Http.Response r = http.post("/workspaces/" + id + "/notify", """
                    {"message":"%s","attachments":[{"uri":"file:///a.txt","name":"a.txt","mimeType":"text/plain","size":12},
                                                   {"uri":"file:///b.bin","name":"b.bin"}]}""".formatted(message));
            assertThat(r.status()).isEqualTo(200);

            JsonNode attachments = awaitEvent(ws, id, "AGENT_MESSAGE").get("payload").get("attachments");
            assertThat(attachments.toString()).isEqualTo(
                    "[{\"uri\":\"file:///a.txt\",\"name\":\"a.txt\",\"mimeType\":\"text/plain\",\"size\":12},"
                            + "{\"uri\":\"file:///b.bin\",\"name\":\"b.bin\"}]");
        }
        JsonNode row = http.get("/workspaces/" + id + "/activity").json().get(0);
        assertThat(row.get("summary").asText()).isEqualTo("Agent message: " + "x".repeat(80) + "…");
        JsonNode body = row.get("response_body");
        assertThat(body.get("result").asText()).isEqualTo(message);
        // jsonb keeps its own key order: compare as JSON, not as text
        assertThat(body.get("parts")).isEqualTo(json(
                "[{\"kind\":\"file\",\"file\":{\"uri\":\"file:///a.txt\",\"name\":\"a.txt\",\"mimeType\":\"text/plain\",\"size\":12}},"
                        + "{\"kind\":\"file\",\"file\":{\"uri\":\"file:///b.bin\",\"name\":\"b.bin\"}}]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"message\":\"\"}", "{\"message\":null}"})
    void notifyNeedsAMessage(String body) {
        Http.Response r = http.post("/workspaces/" + workspace() + "/notify", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"message is required\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[{\"uri\":\"file:///a\"}]|attachment[0]: uri and name are required",
            "[{\"name\":\"a\"}]|attachment[0]: uri and name are required",
            "[{\"uri\":\"file:///a\",\"name\":\"a\"},{\"uri\":\"\",\"name\":\"b\"}]|attachment[1]: uri and name are required"})
    void notifyAttachmentsNeedUriAndName(String testCase) {
        String[] parts = testCase.split("\\|");
        String id = workspace();
        try (WsClient ws = WsClient.connect(http.base())) {
            Http.Response r = http.post("/workspaces/" + id + "/notify", "{\"message\":\"m\",\"attachments\":" + parts[0] + "}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo(parts[1]);
            assertThat(http.get("/workspaces/" + id + "/activity").body()).as("nothing logged").isEqualTo("[]");
        }
    }

    @Test
    void unknownWorkspaceIs404() {
        String unknown = UUID.randomUUID().toString();
        Http.Response notify = http.post("/workspaces/" + unknown + "/notify", "{\"message\":\"m\"}");
        assertThat(notify.status()).isEqualTo(404);
        assertThat(notify.body()).isEqualTo("{\"error\":\"workspace not found\"}");
        Http.Response report = http.post("/workspaces/" + unknown + "/activity", "{\"activity_type\":\"agent_log\"}");
        assertThat(report.status()).isEqualTo(404);
        assertThat(report.body()).isEqualTo("{\"error\":\"workspace not found\"}");
        Http.Response invalid = http.get("/workspaces/nope/activity");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).isEqualTo("{\"error\":\"invalid workspace ID\"}");
    }

    @Test
    void sessionSearchFindsActivityAndMemories() {
        String id = platform.createWorkspace("""
                {"name":"searcher","initial_memories":[{"content":"the Zebra protocol uses port 7","scope":"TEAM"},
                                                       {"content":"unrelated note"}]}""");
        String other = platform.createWorkspace("{\"name\":\"other\",\"initial_memories\":[{\"content\":\"zebra elsewhere\"}]}");
        http.post("/workspaces/" + other + "/activity", "{\"activity_type\":\"agent_log\",\"summary\":\"zebra elsewhere\"}");
        http.post("/workspaces/" + id + "/activity", "{\"activity_type\":\"agent_log\",\"summary\":\"saw a zebra today\"}");
        http.post("/workspaces/" + id + "/activity",
                "{\"activity_type\":\"a2a_send\",\"summary\":\"plain\",\"request_body\":{\"animal\":\"ZEBRA\"}}");
        http.post("/workspaces/" + id + "/activity", "{\"activity_type\":\"agent_log\",\"summary\":\"nothing here\"}");

        Http.Response r = http.get("/workspaces/" + id + "/session-search?q=zebra");
        assertThat(r.status()).isEqualTo(200);
        JsonNode hits = r.json();
        assertThat(hits).hasSize(3);
        List<String> kinds = new ArrayList<>();
        for (JsonNode h : hits) {
            kinds.add(h.get("kind").asText());
            assertThat(h.get("workspace_id").asText()).isEqualTo(id);
            assertThat(h.has("id") && h.has("label") && h.has("content") && h.has("created_at")).isTrue();
        }
        assertThat(kinds).containsExactlyInAnyOrder("activity", "activity", "memory");
        JsonNode memory = hits.findParents("kind").stream().filter(h -> h.get("kind").asText().equals("memory")).findFirst().orElseThrow();
        assertThat(memory.get("content").asText()).isEqualTo("the Zebra protocol uses port 7");
        assertThat(memory.get("label").asText()).as("scope:namespace, initial memories live in the awareness namespace")
                .isEqualTo("TEAM:workspace:" + id);
        JsonNode byBody = hits.findParents("kind").stream().filter(h -> h.path("content").asText().equals("plain")).findFirst().orElseThrow();
        assertThat(byBody.get("request_body").toString()).isEqualTo("{\"animal\":\"ZEBRA\"}");
        assertThat(byBody.get("method").isNull()).isTrue();
        assertThat(byBody.get("status").asText()).isEqualTo("ok");

        assertThat(http.get("/workspaces/" + id + "/session-search?q=zebra&limit=1").json()).hasSize(1);
        assertThat(http.get("/workspaces/" + id + "/session-search?q=giraffe").body()).isEqualTo("[]");
        assertThat(http.get("/workspaces/" + id + "/session-search?q=%25").body()).as("% is literal").isEqualTo("[]");
        assertThat(http.get("/workspaces/" + id + "/session-search").json()).as("no q: everything").hasSize(5);
    }

    /** Outside dev mode every activity route is WorkspaceAuth (spec §2.4). */
    @Test
    void routesNeedTheWorkspacesOwnBearer() {
        try (TestPlatform p = TestPlatform.start()) {
            Http h = p.http();
            String a = p.createWorkspace("{\"name\":\"a\"}"), b = p.createWorkspace("{\"name\":\"b\"}");
            String tokenA = p.register(a), tokenB = p.register(b);
            record Call(String method, String path, String body) {
            }
            for (Call c : List.of(new Call("GET", "/workspaces/" + a + "/activity", null),
                    new Call("POST", "/workspaces/" + a + "/activity", "{\"activity_type\":\"agent_log\"}"),
                    new Call("POST", "/workspaces/" + a + "/notify", "{\"message\":\"m\"}"),
                    new Call("GET", "/workspaces/" + a + "/session-search?q=x", null))) {
                Http.Response none = h.send(c.method(), c.path(), c.body());
                assertThat(none.status()).as("%s without bearer", c).isEqualTo(401);
                assertThat(none.json().get("error").asText()).isEqualTo("missing workspace auth token");
                Http.Response other = h.send(c.method(), c.path(), c.body(), "Authorization", bearer(tokenB));
                assertThat(other.status()).as("%s with B's token", c).isEqualTo(401);
                assertThat(other.json().get("error").asText()).isEqualTo("invalid workspace auth token");
                assertThat(h.send(c.method(), c.path(), c.body(), "Authorization", bearer(tokenA)).status())
                        .as("%s with A's token", c).isEqualTo(200);
            }
            assertThat(h.get("/workspaces/" + a + "/activity", "Authorization", bearer(tokenA)).json()).hasSize(2);
        }
    }

    private static String workspace() {
        return platform.createWorkspace("{\"name\":\"w\"}");
    }

    private static JsonNode awaitEvent(WsClient ws, String workspaceId, String type) {
        await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(workspaceId).contains(type));
        return ws.frames().stream()
                .filter(f -> f.path("event").asText().equals(type) && f.path("workspace_id").asText().equals(workspaceId))
                .findFirst().orElseThrow();
    }

    private static JsonNode json(String text) {
        return new Http.Response(200, text, java.util.Map.of()).json();
    }

    private static List<String> summaries(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) out.add(n.path("summary").asText());
        return out;
    }
}
