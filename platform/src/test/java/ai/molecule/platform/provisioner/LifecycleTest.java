package ai.molecule.platform.provisioner;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restart, pause/resume (cascading), hibernate and wake, secret-driven restarts and the
 * config document (spec §1.2, §6) with real embedded runtimes.
 */
class LifecycleTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "lifecycle-admin";
    private static final Duration WAIT = Duration.ofSeconds(30);

    static TestPlatform platform;
    static Http http;
    static Agents agents;
    static WsClient ws;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded");
        http = platform.http();
        agents = new Agents(platform, ADMIN);
        ws = WsClient.connect(http.base());
        String probe = agents.create("{\"name\":\"probe\",\"model\":\"scripted\"}");
        await().atMost(WAIT).until(() -> ws.events(probe).contains("WORKSPACE_PROVISIONING"));
    }

    @AfterAll
    static void stop() {
        ws.close();
        platform.close();
    }

    private static Http.Response post(String path) {
        return http.post(path, null, agents.admin());
    }

    private static long count(String id, String event) {
        return ws.events(id).stream().filter(event::equals).count();
    }

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final String CONTEXT = "=== WORKSPACE RESTART CONTEXT ===";

    /** The restart context the platform sends once the workspace is back (it takes the agent's only slot for a moment). */
    private static JsonNode awaitRestartContext(String id, int nth) {
        await().atMost(WAIT).until(() -> restartContexts(id).size() >= nth);
        return restartContexts(id).get(0);
    }

    private static List<JsonNode> restartContexts(String id) {
        return agents.activity(id, "a2a_receive").stream()
                .filter(a -> a.at("/request_body/params/message/parts/0/text").asText().startsWith(CONTEXT)).toList();
    }

    private static String text(Http.Response r) {
        return r.json().at("/result/parts/0/text").asText();
    }

    @Test
    void restartKeepsIdentityAndTokenAndTellsTheAgent() throws Exception {
        String id = agents.online("{\"name\":\"Phoenix\",\"model\":\"scripted\"}");
        String token = agents.token(id);
        await().atMost(WAIT).until(() -> count(id, "WORKSPACE_ONLINE") == 1);

        Http.Response r = post("/workspaces/" + id + "/restart");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(json("{\"status\":\"provisioning\",\"config_dir\":\"existing-volume\",\"reset_session\":false}"));
        await().atMost(WAIT).until(() -> count(id, "WORKSPACE_ONLINE") == 2);
        List<String> events = ws.events(id);
        assertThat(events.lastIndexOf("WORKSPACE_PROVISIONING")).isLessThan(events.lastIndexOf("WORKSPACE_ONLINE"));
        assertThat(count(id, "WORKSPACE_PROVISIONING")).isEqualTo(2);

        assertThat(agents.workspace(id).get("id").asText()).isEqualTo(id);
        assertThat(Files.readString(agents.tokenFile(id)).trim()).as("same .auth_token").isEqualTo(token);
        assertThat(http.get("/workspaces/" + id + "/activity", "Authorization", Http.bearer(token)).status())
                .as("the old token still authenticates").isEqualTo(200);
        JsonNode context = awaitRestartContext(id, 1);
        assertThat(text(agents.a2a(id, send("are you back?")))).isEqualTo("echo: are you back?");
        assertThat(context.get("source_id").isNull()).isTrue();
        assertThat(context.at("/request_body/params/message/metadata/restart_context").asBoolean()).isTrue();
        assertThat(context.at("/response_body/result/parts/0/text").asText()).startsWith("echo: === WORKSPACE RESTART CONTEXT ===");

        Http.Response reset = http.post("/workspaces/" + id + "/restart", "{\"reset\":true}", agents.admin());
        assertThat(reset.json().get("reset_session").asBoolean()).isTrue();
        await().atMost(WAIT).until(() -> count(id, "WORKSPACE_ONLINE") >= 3);
        assertThat(post("/workspaces/" + UUID.randomUUID() + "/restart").json().get("error").asText()).isEqualTo("workspace not found");
    }

    @Test
    void pauseAndResumeCascadeDownTheTree() {
        String root = agents.online("{\"name\":\"Pause Root\",\"model\":\"scripted\"}");
        String a = agents.online("{\"name\":\"Pause A\",\"model\":\"scripted\",\"parent_id\":\"" + root + "\"}");
        String b = agents.online("{\"name\":\"Pause B\",\"model\":\"scripted\",\"parent_id\":\"" + a + "\"}");

        Http.Response paused = post("/workspaces/" + root + "/pause");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json()).isEqualTo(json("{\"status\":\"paused\",\"paused_count\":3}"));
        for (String id : List.of(root, a, b)) {
            await().atMost(WAIT).until(() -> ws.events(id).contains("WORKSPACE_PAUSED"));
            assertThat(agents.status(id)).isEqualTo("paused");
            assertThat(agents.workspace(id).get("url").asText()).isEmpty();
        }
        // a message to a paused workspace: no URL, and nothing wakes it
        Http.Response msg = agents.a2a(b, send("hello?"));
        assertThat(msg.status()).isEqualTo(503);
        assertThat(msg.json()).isEqualTo(json("{\"error\":\"workspace has no URL\",\"status\":\"paused\"}"));
        Http.Response direct = http.post("/agents/" + b, Agents.rpc("message/send", "{}"));
        assertThat(direct.status()).as("runtime stopped; the runtime's own URL is the same door").isEqualTo(503);
        assertThat(direct.json()).isEqualTo(msg.json());

        Http.Response again = post("/workspaces/" + a + "/pause");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").asText()).isEqualTo("workspace not found or already paused");

        Http.Response underPaused = post("/workspaces/" + a + "/restart");
        assertThat(underPaused.status()).isEqualTo(409);
        assertThat(underPaused.json().get("error").asText()).isEqualTo("parent workspace \"Pause Root\" is paused — resume it first");
        assertThat(post("/workspaces/" + b + "/resume").status()).as("resume under a paused ancestor").isEqualTo(409);

        Http.Response resumed = post("/workspaces/" + root + "/resume");
        assertThat(resumed.json()).isEqualTo(json("{\"status\":\"provisioning\",\"resumed_count\":3}"));
        for (String id : List.of(root, a, b)) agents.awaitStatus(id, "online");
        assertThat(text(agents.a2a(b, send("back")))).isEqualTo("echo: back");

        Http.Response notPaused = post("/workspaces/" + root + "/resume");
        assertThat(notPaused.status()).isEqualTo(404);
        assertThat(notPaused.json().get("error").asText()).isEqualTo("workspace not found or not paused");
    }

    @Test
    void hibernateThenAMessageWakesIt() {
        String id = agents.online("{\"name\":\"Sleeper\",\"model\":\"scripted\"}");
        Http.Response h = post("/workspaces/" + id + "/hibernate");
        assertThat(h.json()).isEqualTo(json("{\"status\":\"hibernated\"}"));
        await().atMost(WAIT).until(() -> ws.events(id).contains("WORKSPACE_HIBERNATED"));
        assertThat(agents.status(id)).isEqualTo("hibernated");
        assertThat(post("/workspaces/" + id + "/hibernate").status()).as("not hibernatable twice").isEqualTo(404);

        Http.Response wake = agents.a2a(id, send("wake up"));
        assertThat(wake.status()).isEqualTo(503);
        assertThat(wake.json()).isEqualTo(json(
                "{\"error\":\"workspace is waking from hibernation — retry in ~15 seconds\",\"waking\":true,\"retry_after\":15}"));
        assertThat(wake.header("Retry-After")).isEqualTo("15");
        agents.awaitStatus(id, "online");
        assertThat(text(agents.a2a(id, send("good morning")))).isEqualTo("echo: good morning");
    }

    @Test
    void aSecretChangeRestartsTheWorkspaceWithTheNewEnvironment() {
        String id = agents.create("{\"name\":\"Needy\",\"model\":\"scripted\",\"config\":{\"runtime_config\":{\"required_env\":[\"NEEDED_KEY\"]}}}");
        agents.awaitStatus(id, "failed");
        JsonNode row = agents.listed(id);
        assertThat(row.get("last_sample_error").asText()).isEqualTo("missing required environment variables: NEEDED_KEY");
        await().atMost(WAIT).until(() -> ws.events(id).contains("WORKSPACE_PROVISION_FAILED"));
        long provisioning = count(id, "WORKSPACE_PROVISIONING");

        Http.Response put = http.put("/workspaces/" + id + "/secrets", "{\"key\":\"NEEDED_KEY\",\"value\":\"present\"}", agents.admin());
        assertThat(put.status()).as(put.toString()).isBetween(200, 201);
        await().atMost(WAIT).until(() -> count(id, "WORKSPACE_PROVISIONING") == provisioning + 1);
        agents.awaitStatus(id, "online");
        assertThat(text(agents.a2a(id, send("ready")))).isEqualTo("echo: ready");
    }

    @Test
    void theConfigDocumentIsMergedAndAppliesAtTheNextRestart() {
        String id = agents.online("{\"name\":\"Configured\",\"model\":\"scripted\",\"config\":{\"description\":\"first\"}}");
        JsonNode data = http.get("/workspaces/" + id + "/config", agents.admin()).json().get("data");
        assertThat(data.get("model").asText()).isEqualTo("scripted");
        assertThat(data.get("description").asText()).isEqualTo("first");
        assertThat(data.get("name").asText()).isEqualTo("Configured");

        Http.Response patch = http.patch("/workspaces/" + id + "/config",
                "{\"description\":\"second\",\"script\":{\"rules\":[{\"match\":\"ping\",\"reply\":\"pong\"}]}}", agents.admin());
        assertThat(patch.json()).isEqualTo(json("{\"status\":\"updated\"}"));
        JsonNode merged = http.get("/workspaces/" + id + "/config", agents.admin()).json().get("data");
        assertThat(merged.get("description").asText()).isEqualTo("second");
        assertThat(merged.get("model").asText()).as("a shallow merge keeps the rest").isEqualTo("scripted");
        assertThat(text(agents.a2a(id, send("ping")))).as("not before a restart").isEqualTo("echo: ping");

        long online = count(id, "WORKSPACE_ONLINE");
        post("/workspaces/" + id + "/restart");
        await().atMost(WAIT).until(() -> count(id, "WORKSPACE_ONLINE") > online);
        awaitRestartContext(id, 1);
        assertThat(text(agents.a2a(id, send("ping")))).isEqualTo("pong");

        Http.Response bad = http.patch("/workspaces/" + id + "/config", "{oops", agents.admin());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid JSON");
        Http.Response missing = http.patch("/workspaces/" + UUID.randomUUID() + "/config", "{}", agents.admin());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("workspace not found");
        assertThat(http.get("/workspaces/" + id + "/config").status()).as("workspace auth").isEqualTo(401);
    }

    @Test
    void withoutAProvisionerRestartIsUnavailable() {
        try (TestPlatform none = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "none")) {
            Agents noAgents = new Agents(none, ADMIN);
            String id = noAgents.create("{\"name\":\"Nobody\",\"model\":\"scripted\"}");
            Http.Response r = none.http().post("/workspaces/" + id + "/restart", null, noAgents.admin());
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("error").asText()).isEqualTo("provisioner not available");
            Http.Response msg = noAgents.a2a(id, send("anyone?"));
            assertThat(msg.status()).isEqualTo(503);
            assertThat(msg.json()).isEqualTo(json("{\"error\":\"workspace has no URL\",\"status\":\"" + noAgents.status(id) + "\"}"));
        }
    }
}
