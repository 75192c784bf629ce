package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.GatedModel;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static ai.molecule.platform.testkit.Agents.message10;
import static ai.molecule.platform.testkit.Agents.rpc;
import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * POST /workspaces/:id/a2a (spec §3.2) against real embedded runtimes with scripted models
 * (and one gated OpenAI-compatible model for a task that must still be running): envelope
 * normalisation, both A2A generations, streaming, tasks, the caller rules and every side effect.
 */
class A2aProxyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "a2a-proxy-admin";
    private static final String UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    static TestPlatform platform;
    static Http http;
    static Agents agents;
    static WsClient ws;
    static GatedModel gated;
    static String echo, parent, childA, childB, otherRoot, cousin;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded");
        http = platform.http();
        agents = new Agents(platform, ADMIN);
        ws = WsClient.connect(http.base());
        gated = new GatedModel();
        echo = agents.online("{\"name\":\"Echo\",\"model\":\"scripted\"}");
        parent = agents.online("{\"name\":\"Parent\",\"model\":\"scripted\"}");
        childA = agents.online("{\"name\":\"ChildA\",\"model\":\"scripted\",\"parent_id\":\"" + parent + "\"}");
        childB = agents.online("{\"name\":\"ChildB\",\"model\":\"scripted\",\"parent_id\":\"" + parent + "\"}");
        otherRoot = agents.online("{\"name\":\"OtherRoot\",\"model\":\"scripted\"}");
        cousin = agents.online("{\"name\":\"Cousin\",\"model\":\"scripted\",\"parent_id\":\"" + otherRoot + "\"}");
    }

    @AfterAll
    static void stop() {
        ws.close();
        platform.close();
        gated.close();
    }

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    /** The data: payloads of an SSE body. */
    private static List<JsonNode> events(String sse) {
        return Stream.of(sse.split("\n")).filter(l -> l.startsWith("data:"))
                .map(l -> json(l.substring(5).trim())).toList();
    }

    private static JsonNode receiveFor(String target, String method) {
        await().atMost(Duration.ofSeconds(5)).until(() -> agents.activity(target, "a2a_receive").stream()
                .anyMatch(a -> a.path("method").asText().equals(method)));
        return agents.activity(target, "a2a_receive").stream().filter(a -> a.path("method").asText().equals(method))
                .findFirst().orElseThrow();
    }

    // ---- normalisation and the two generations ---------------------------------------------

    @Test
    void aBareBodyIsWrappedInJsonRpcAndTheMessageGetsAnId() {
        String target = agents.online("{\"name\":\"Bare\",\"model\":\"scripted\"}");
        Http.Response r = agents.a2a(target, send("hi there"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(body.get("id").asText()).as("the proxy's generated request id").matches(UUID_RE);
        assertThat(body.at("/result/kind").asText()).isEqualTo("message");
        assertThat(body.at("/result/parts/0/text").asText()).isEqualTo("echo: hi there");

        // what the runtime was handed: the wrapped request, with a messageId it kept in the task history
        JsonNode sent = receiveFor(target, "message/send").get("request_body");
        assertThat(sent.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(sent.get("id").asText()).isEqualTo(body.get("id").asText());
        String messageId = sent.at("/params/message/messageId").asText();
        assertThat(messageId).matches(UUID_RE);
        Http.Response task = agents.a2a(target, rpc("tasks/get", "{\"id\":\"" + body.at("/result/taskId").asText() + "\"}"));
        assertThat(task.json().at("/result/history/0/messageId").asText()).isEqualTo(messageId);
    }

    @Test
    void anExplicitMessageIdAndEnvelopeAreKept() {
        Http.Response r = agents.a2a(echo, "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"message/send\",\"params\":{\"message\":"
                + "{\"role\":\"user\",\"messageId\":\"mine-1\",\"parts\":[{\"kind\":\"text\",\"text\":\"keep\"}]}}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asInt()).isEqualTo(42);
        Http.Response task = agents.a2a(echo, rpc("tasks/get", "{\"id\":\"" + r.json().at("/result/taskId").asText() + "\"}"));
        assertThat(task.json().at("/result/history/0/messageId").asText()).isEqualTo("mine-1");
    }

    @Test
    void bothMethodGenerationsPassAndEachIsAnsweredInItsOwnShape() {
        // 1.0: SendMessage with a 1.0 body and header; the answer is a 1.0 task
        Http.Response v10 = agents.a2a(echo, rpc("SendMessage", message10("hello one", "")), "A2A-Version", "1.0");
        assertThat(v10.status()).as(v10.toString()).isEqualTo(200);
        JsonNode task = v10.json().at("/result/task");
        assertThat(task.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.at("/status/message/role").asText()).isEqualTo("ROLE_AGENT");
        assertThat(task.at("/artifacts/0/parts/0/text").asText()).isEqualTo("echo: hello one");

        // 0.3: the dispatcher always says a2a-version 1.0, yet a 0.3 method name is answered in 0.3 shapes
        Http.Response v03 = agents.a2a(echo, send("hello two"));
        assertThat(v03.json().at("/result/kind").asText()).isEqualTo("message");
        assertThat(v03.json().at("/result/role").asText()).isEqualTo("agent");
        assertThat(v03.json().at("/result/parts/0/kind").asText()).isEqualTo("text");

        // the caller's own A2A-Version header does not reach the runtime (the proxy sends 1.0), so even
        // a version the runtime would refuse gets through
        Http.Response odd = agents.a2a(echo, send("hello three"), "A2A-Version", "9.9");
        assertThat(odd.status()).isEqualTo(200);
        assertThat(odd.json().at("/result/parts/0/text").asText()).isEqualTo("echo: hello three");
        Http.Response direct = http.post("/agents/" + echo, rpc("message/send", "{\"message\":{\"role\":\"user\",\"messageId\":\"d1\","
                + "\"parts\":[{\"kind\":\"text\",\"text\":\"x\"}]}}"), "A2A-Version", "9.9");
        assertThat(direct.json().at("/result/parts/0/text").asText()).as("the outside endpoint is the same door")
                .isEqualTo("echo: x");
    }

    @Test
    void streamingThroughTheProxyInBothGenerations() {
        Http.Response r = agents.a2a(echo, "{\"method\":\"message/stream\",\"params\":{\"message\":{\"role\":\"user\","
                + "\"parts\":[{\"kind\":\"text\",\"text\":\"one two three\"}]}}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/event-stream");
        List<JsonNode> ev = events(r.body());
        List<JsonNode> chunks = ev.stream().filter(e -> e.at("/result/kind").asText().equals("artifact-update")).toList();
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        assertThat(chunks.stream().map(c -> c.at("/result/artifact/parts/0/text").asText()).reduce("", String::concat))
                .isEqualTo("echo: one two three");
        JsonNode last = ev.get(ev.size() - 1).get("result");
        assertThat(last.get("kind").asText()).isEqualTo("status-update");
        assertThat(last.get("final").asBoolean()).isTrue();
        assertThat(last.at("/status/state").asText()).isEqualTo("completed");

        Http.Response r10 = agents.a2a(echo, rpc("SendStreamingMessage", message10("four five six", "")), "A2A-Version", "1.0");
        assertThat(r10.header("Content-Type")).startsWith("text/event-stream");
        List<JsonNode> ev10 = events(r10.body());
        assertThat(ev10.get(0).at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_SUBMITTED");
        assertThat(ev10.stream().filter(e -> e.at("/result").has("artifactUpdate")).count()).isGreaterThanOrEqualTo(3);
        JsonNode final10 = ev10.get(ev10.size() - 1).at("/result/statusUpdate");
        assertThat(final10.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(final10.at("/status/message/parts/0/text").asText()).isEqualTo("echo: four five six");

        // the activity keeps the final event as the response
        JsonNode act = receiveFor(echo, "SendStreamingMessage");
        assertThat(act.at("/response_body/result/statusUpdate/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
    }

    // ---- tasks ---------------------------------------------------------------------------

    @Test
    void aFinishedTaskCanBeReadAndListedThroughTheProxyAndAtTheOutsideEndpoint() {
        String target = agents.online("{\"name\":\"Tasks\",\"model\":\"scripted\"}");
        String taskId = agents.a2a(target, rpc("SendMessage", message10("remember me", "")))
                .json().at("/result/task/id").asText();

        JsonNode v03 = agents.a2a(target, rpc("tasks/get", "{\"id\":\"" + taskId + "\"}")).json().get("result");
        assertThat(v03.get("kind").asText()).isEqualTo("task");
        assertThat(v03.at("/status/state").asText()).isEqualTo("completed");
        assertThat(v03.at("/artifacts/0/parts/0/text").asText()).isEqualTo("echo: remember me");

        JsonNode v10 = agents.a2a(target, rpc("GetTask", "{\"id\":\"" + taskId + "\"}")).json().get("result");
        assertThat(v10.get("id").asText()).isEqualTo(taskId);
        assertThat(v10.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");

        Http.Response outside = http.post("/agents/" + target, rpc("GetTask", "{\"id\":\"" + taskId + "\"}"), "A2A-Version", "1.0");
        assertThat(outside.status()).isEqualTo(200);
        assertThat(outside.json().at("/result/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");

        JsonNode list = agents.a2a(target, rpc("ListTasks", "{}")).json().get("result");
        assertThat(list.get("totalSize").asInt()).isEqualTo(1);
        assertThat(list.at("/tasks/0/id").asText()).isEqualTo(taskId);

        Http.Response unknown = agents.a2a(target, rpc("GetTask", "{\"id\":\"no-such-task\"}"));
        assertThat(unknown.status()).as("a JSON-RPC error travels as a 200 body").isEqualTo(200);
        assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(-32001);
    }

    @Test
    void aRunningTaskIsCanceledThroughTheProxy() {
        String slow = agents.online("{\"name\":\"Slow\",\"model\":\"openai-compatible:gated\",\"secrets\":{"
                + "\"OPENAI_COMPATIBLE_BASE_URL\":\"" + gated.baseUrl() + "\"}}");
        Http.Response started = http.post("/agents/" + slow,
                rpc("SendMessage", message10("take your time", "\"configuration\":{\"returnImmediately\":true}")),
                "A2A-Version", "1.0");
        JsonNode task = started.json().at("/result/task");
        assertThat(task.at("/status/state").asText()).isIn("TASK_STATE_SUBMITTED", "TASK_STATE_WORKING");
        String taskId = task.get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> gated.received().stream().anyMatch(t -> t.contains("take your time")));

        Http.Response cancel = agents.a2a(slow, rpc("CancelTask", "{\"id\":\"" + taskId + "\"}"));
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(cancel.json().at("/result/status/state").asText()).isEqualTo("TASK_STATE_CANCELED");

        gated.release(1); // the model answers late: the task stays canceled
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> agents.a2a(slow,
                rpc("GetTask", "{\"id\":\"" + taskId + "\"}")).json().at("/result/status/state").asText().equals("TASK_STATE_CANCELED"));
        Http.Response again = agents.a2a(slow, rpc("CancelTask", "{\"id\":\"" + taskId + "\"}"));
        assertThat(again.json().at("/error/message").asText()).isEqualTo("Task cannot be canceled: it is canceled");
    }

    // ---- caller rules --------------------------------------------------------------------

    @Test
    void aCallerWithTokensMustPresentItsOwn() {
        Http.Response none = agents.a2a(childB, send("x"), "X-Workspace-ID", childA);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).isEqualTo("missing caller auth token");

        Http.Response wrong = agents.a2a(childB, send("x"), "X-Workspace-ID", childA, "Authorization", Http.bearer(agents.token(childB)));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("invalid caller auth token");

        Http.Response ok = agents.a2aFrom(childA, childB, send("sibling"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().at("/result/parts/0/text").asText()).isEqualTo("echo: sibling");
    }

    @Test
    void systemCallerIdsAndCousinsAreRefused() {
        for (String id : List.of("system:x", "webhook:y", "not-a-uuid")) {
            Http.Response r = agents.a2a(echo, send("x"), "X-Workspace-ID", id);
            assertThat(r.status()).as(id).isEqualTo(403);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid caller ID");
        }
        Http.Response cousinCall = agents.a2aFrom(childA, cousin, send("hello cousin"));
        assertThat(cousinCall.status()).isEqualTo(403);
        assertThat(cousinCall.json().get("error").asText())
                .isEqualTo("access denied: workspaces cannot communicate per hierarchy rules");
        Http.Response viaRuntimeUrl = http.post("/agents/" + cousin, send("hello cousin"), "X-Workspace-ID", childA,
                "Authorization", Http.bearer(agents.token(childA)));
        assertThat(viaRuntimeUrl.status()).as("the runtime's own URL applies the same rule").isEqualTo(403);
        Http.Response forged = http.post("/agents/" + cousin, send("hello cousin"), "X-Workspace-ID", childA,
                "X-Molecule-Hop", "forged");
        assertThat(forged.status()).as("a wrong hop token is just a caller without its bearer").isEqualTo(401);
        assertThat(agents.a2aFrom(childA, parent, send("up")).status()).as("child to parent").isEqualTo(200);
        assertThat(agents.a2aFrom(parent, otherRoot, send("root to root")).status()).isEqualTo(200);
    }

    @Test
    void requestErrors() {
        Http.Response bad = agents.a2a(echo, "{not json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid JSON");
        assertThat(agents.a2a(echo, "[1,2]").json().get("error").asText()).isEqualTo("invalid JSON");

        for (String id : List.of(UUID.randomUUID().toString(), "nope")) {
            Http.Response missing = agents.a2a(id, send("x"));
            assertThat(missing.status()).as(id).isEqualTo(404);
            assertThat(missing.json().get("error").asText()).isEqualTo("workspace not found");
        }
    }

    @Test
    void aWorkspaceAtItsBudgetIsRefused() {
        String broke = agents.online("{\"name\":\"Broke\",\"model\":\"scripted\",\"budget_limit\":0}");
        Http.Response r = agents.a2a(broke, send("spend"));
        assertThat(r.status()).isEqualTo(402);
        assertThat(r.json().get("error").asText()).isEqualTo("workspace budget limit exceeded");
        assertThat(agents.activity(broke, "a2a_receive")).as("nothing reached the agent").isEmpty();
    }

    @Test
    void anExternalWorkspaceWithoutUrlIsNotReachable() {
        String ext = agents.create("{\"name\":\"Ext\",\"external\":true}");
        String status = agents.status(ext);
        Http.Response r = agents.a2a(ext, send("anyone?"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json()).isEqualTo(json("{\"error\":\"workspace has no URL\",\"status\":\"" + status + "\"}"));
        assertThat(status).isEqualTo("awaiting_agent");
    }

    // ---- side effects --------------------------------------------------------------------

    @Test
    void aWorkspaceCallIsLoggedOnBothEndsAndMarksTheCallerOutbound() {
        String from = agents.online("{\"name\":\"From\",\"model\":\"scripted\",\"parent_id\":\"" + otherRoot + "\"}");
        String to = agents.online("{\"name\":\"To\",\"model\":\"scripted\",\"parent_id\":\"" + otherRoot + "\"}");
        assertThat(agents.workspace(from).get("last_outbound_at").isNull()).isTrue();

        Http.Response r = agents.a2aFrom(from, to, send("ping"));
        assertThat(r.status()).isEqualTo(200);

        JsonNode receive = receiveFor(to, "message/send");
        assertThat(receive.get("source_id").asText()).isEqualTo(from);
        assertThat(receive.get("target_id").asText()).isEqualTo(to);
        assertThat(receive.get("summary").asText()).isEqualTo("message/send → To");
        assertThat(receive.get("status").asText()).isEqualTo("ok");
        assertThat(receive.at("/request_body/params/message/parts/0/text").asText()).isEqualTo("ping");
        assertThat(receive.at("/response_body/result/parts/0/text").asText()).isEqualTo("echo: ping");
        assertThat(receive.get("duration_ms").asInt()).isGreaterThanOrEqualTo(0);

        List<JsonNode> sends = agents.activity(from, "a2a_send");
        assertThat(sends).hasSize(1);
        assertThat(sends.get(0).get("target_id").asText()).isEqualTo(to);
        assertThat(sends.get(0).get("summary").asText()).isEqualTo("message/send → To");
        assertThat(agents.activity(to, "a2a_send")).isEmpty();

        assertThat(agents.workspace(from).get("last_outbound_at").isNull()).isFalse();
        assertThat(ws.events(to)).as("no A2A_RESPONSE for a workspace caller").doesNotContain("A2A_RESPONSE");
    }

    @Test
    void textThatLooksLikeCopyControlCharactersIsLoggedExactly() {
        // the row goes through the write-behind batch: control characters and escapes must arrive unchanged
        String target = agents.online("{\"name\":\"Escapes\",\"model\":\"scripted\"}");
        String text = "tab\there, new\nline, cr\r, back\\slash, literal \\N and \\t, \"quoted\", naïve ✓ 🚀";
        assertThat(agents.a2a(target, send(text)).status()).isEqualTo(200);

        JsonNode receive = receiveFor(target, "message/send");
        assertThat(receive.at("/request_body/params/message/parts/0/text").asText()).isEqualTo(text);
        assertThat(receive.at("/response_body/result/parts/0/text").asText()).isEqualTo("echo: " + text);
        assertThat(receive.get("summary").asText()).isEqualTo("message/send → Escapes");
        assertThat(receive.get("error_detail").isNull()).isTrue();
    }

    @Test
    void aCanvasCallGetsAnA2aResponseEvent() {
        String target = agents.online("{\"name\":\"Canvas Target\",\"model\":\"scripted\"}");
        agents.a2a(target, send("from the canvas"));
        await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(target).contains("A2A_RESPONSE"));
        JsonNode payload = ws.frames().stream().filter(f -> f.path("event").asText().equals("A2A_RESPONSE")
                && f.path("workspace_id").asText().equals(target)).findFirst().orElseThrow().get("payload");
        assertThat(payload.get("method").asText()).isEqualTo("message/send");
        assertThat(payload.at("/response_body/result/parts/0/text").asText()).isEqualTo("echo: from the canvas");
        assertThat(payload.get("duration_ms").asInt()).isGreaterThanOrEqualTo(0);

        JsonNode receive = receiveFor(target, "message/send");
        assertThat(receive.get("source_id").isNull()).as("canvas = no source").isTrue();
        assertThat(receive.get("summary").asText()).isEqualTo("message/send → Canvas Target");
        assertThat(agents.workspace(target).get("last_outbound_at").isNull()).isTrue();
    }
}
