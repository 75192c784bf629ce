package ai.molecule.runtime.tools;

import ai.molecule.runtime.agent.AgentTool;
import ai.molecule.runtime.agent.TurnStopped;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.TokenStore;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuiltinToolsTest {
    @RegisterExtension
    static WireMockExtension platform = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UUID SELF = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final String DEV = "22222222-2222-2222-2222-222222222222";
    private static final String QA = "33333333-3333-3333-3333-333333333333";
    private static final String SELF_PATH = "/workspaces/" + SELF;

    @TempDir
    Path dir;
    private List<AgentTool> tools;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve(".auth_token"), "tok");
        PlatformClient client = new PlatformClient(platform.baseUrl(), SELF, HttpClient.newHttpClient(), new TokenStore(dir));
        tools = BuiltinTools.of(client, Map.of("APPROVAL_TIMEOUT", "0.6", "APPROVAL_POLL_INTERVAL", "0.05"));
        platform.stubFor(get("/registry/" + SELF + "/peers").willReturn(okJson("""
                [{"id":"%s","name":"Dev","role":"developer","status":"online","parent_id":"%s"},
                 {"id":"%s","name":"QA","role":"","status":"offline","parent_id":null}]""".formatted(DEV, SELF, QA))));
    }

    private String run(String name, String args) throws Exception {
        AgentTool tool = tools.stream().filter(t -> t.specification().name().equals(name)).findFirst().orElseThrow();
        return tool.execute(args);
    }

    private static String agentReply(String text) {
        return "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{\"kind\":\"message\",\"role\":\"agent\",\"parts\":[{\"kind\":\"text\",\"text\":\""
                + text + "\"}]}}";
    }

    @Test
    void everyToolHasAJsonSchema() {
        assertThat(tools).extracting(t -> t.specification().name()).containsExactly("delegate_task", "delegate_task_async",
                "check_task_status", "list_peers", "get_workspace_info", "send_message_to_user", "commit_memory",
                "recall_memory", "request_approval");
        JsonObjectSchema delegate = tools.getFirst().specification().parameters();
        assertThat(delegate.properties()).containsOnlyKeys("workspace_id", "task");
        assertThat(delegate.required()).containsExactly("workspace_id", "task");
        assertThat(tools).allSatisfy(t -> assertThat(t.specification().description()).isNotBlank());
    }

    @Test
    void delegateTaskByIdGoesThroughTheProxyAsThisWorkspace() throws Exception {
        platform.stubFor(post("/workspaces/" + DEV + "/a2a").willReturn(okJson(agentReply("PR opened"))));

        assertThat(run("delegate_task", "{\"workspace_id\":\"" + DEV + "\",\"task\":\"fix the bug\"}")).isEqualTo("PR opened");

        platform.verify(postRequestedFor(urlEqualTo("/workspaces/" + DEV + "/a2a"))
                .withHeader("Authorization", equalTo("Bearer tok"))
                .withHeader("X-Workspace-ID", equalTo(SELF.toString()))
                .withRequestBody(matchingJsonPath("$.method", equalTo("message/send")))
                .withRequestBody(matchingJsonPath("$.params.message.parts[0].text", equalTo("fix the bug"))));
        platform.verify(0, getRequestedFor(urlEqualTo("/registry/" + SELF + "/peers")));
    }

    @Test
    void delegateTaskResolvesAnExactPeerName() throws Exception {
        platform.stubFor(post("/workspaces/" + QA + "/a2a").willReturn(okJson(
                "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{\"task\":{\"artifacts\":[{\"parts\":[{\"text\":\"all green\"}]}]}}}")));

        assertThat(run("delegate_task", "{\"workspace_id\":\"QA\",\"task\":\"run the tests\"}")).isEqualTo("all green");
        assertThat(run("delegate_task", "{\"workspace_id\":\"qa\",\"task\":\"run the tests\"}"))
                .startsWith("DELEGATION FAILED to qa: no peer has the id or name 'qa' (your peers are Dev (" + DEV);
        platform.verify(1, postRequestedFor(urlEqualTo("/workspaces/" + QA + "/a2a")));
    }

    @Test
    void delegateTaskTexts() throws Exception {
        platform.stubFor(post("/workspaces/" + DEV + "/a2a").willReturn(aResponse().withStatus(202).withBody(
                "{\"queued\":true,\"queue_id\":\"q1\",\"queue_depth\":1,\"message\":\"workspace agent busy\"}")));
        platform.stubFor(post("/workspaces/" + QA + "/a2a").willReturn(aResponse().withStatus(403).withBody(
                "{\"error\":\"access denied: workspaces cannot communicate per hierarchy rules\"}")));

        assertThat(run("delegate_task", "{\"workspace_id\":\"Dev\",\"task\":\"x\"}"))
                .startsWith("Task queued for Dev: the peer is busy").contains("Do not redo it yourself");
        assertThat(run("delegate_task", "{\"workspace_id\":\"" + QA + "\",\"task\":\"x\"}")).isEqualTo("DELEGATION FAILED to "
                + QA + ": access denied: workspaces cannot communicate per hierarchy rules. Try another peer that can do "
                + "this, do it yourself if you can, or tell the user it could not be done.");
    }

    @Test
    void delegateTaskReportsThePeersOwnFailures() throws Exception {
        platform.stubFor(post("/workspaces/" + DEV + "/a2a").willReturn(okJson(
                "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"error\":{\"code\":-32603,\"message\":\"internal error\"}}")));
        platform.stubFor(post("/workspaces/" + QA + "/a2a").willReturn(okJson(agentReply("Agent error: model unavailable"))));

        assertThat(run("delegate_task", "{\"workspace_id\":\"Dev\",\"task\":\"x\"}")).startsWith("DELEGATION FAILED to Dev: internal error.");
        assertThat(run("delegate_task", "{\"workspace_id\":\"QA\",\"task\":\"x\"}"))
                .startsWith("DELEGATION FAILED to QA: Agent error: model unavailable.");
    }

    @Test
    void delegateTaskAsyncPostsToTheDelegateRouteWithAStableKey() throws Exception {
        platform.stubFor(post(SELF_PATH + "/delegate").willReturn(aResponse().withStatus(202).withBody(
                "{\"delegation_id\":\"d-1\",\"status\":\"delegated\",\"target_id\":\"" + DEV + "\"}")));

        String first = run("delegate_task_async", "{\"workspace_id\":\"Dev\",\"task\":\"write docs\"}");
        run("delegate_task_async", "{\"workspace_id\":\"" + DEV + "\",\"task\":\"write docs\"}");

        assertThat(first).isEqualTo("Delegated to Dev (task_id d-1, status delegated). Use check_task_status with this task_id for the result.");
        String key = DelegationTools.idempotencyKey(DEV + ":write docs");
        assertThat(key).hasSize(32).matches("[0-9a-f]+");
        platform.verify(2, postRequestedFor(urlEqualTo(SELF_PATH + "/delegate"))
                .withHeader("X-Workspace-ID", equalTo(SELF.toString()))
                .withRequestBody(equalToJson("{\"target_id\":\"" + DEV + "\",\"task\":\"write docs\",\"idempotency_key\":\"" + key + "\"}")));
    }

    @Test
    void checkTaskStatusFindsTheNewestRowOfATask() throws Exception {
        platform.stubFor(get(SELF_PATH + "/delegations").willReturn(okJson("""
                [{"id":"r3","delegation_id":"d-1","status":"completed","response_preview":"done"},
                 {"id":"r2","delegation_id":"d-2","status":"pending"},
                 {"id":"r1","delegation_id":"d-1","status":"dispatched"}]""")));

        assertThat(run("check_task_status", "{\"task_id\":\"d-1\"}")).contains("\"status\":\"completed\"").contains("done");
        assertThat(run("check_task_status", "{\"task_id\":\"nope\"}")).startsWith("No task with id nope. Latest delegations: [")
                .contains("\"r3\"", "\"r2\"", "\"r1\"");
        assertThat(run("check_task_status", "{}")).startsWith("Latest delegations: [");
    }

    @Test
    void peersInfoAndUserMessages() throws Exception {
        platform.stubFor(get(SELF_PATH).willReturn(okJson("{\"id\":\"" + SELF + "\",\"name\":\"Lead\",\"tier\":2}")));
        platform.stubFor(post(SELF_PATH + "/notify").willReturn(okJson("{\"status\":\"sent\"}")));

        assertThat(run("list_peers", "{}")).isEqualTo("Dev (" + DEV + ", online, developer)\nQA (" + QA + ", offline)");
        assertThat(run("get_workspace_info", "{}")).contains("\"name\":\"Lead\"");
        assertThat(run("send_message_to_user", "{\"message\":\"On it\"}")).isEqualTo("Message sent to the user.");
        platform.verify(postRequestedFor(urlEqualTo(SELF_PATH + "/notify")).withHeader("X-Workspace-ID", equalTo(SELF.toString()))
                .withRequestBody(equalToJson("{\"message\":\"On it\"}")));
    }

    @Test
    void memoryToolsUseTheMemoriesRoutes() throws Exception {
        platform.stubFor(post(SELF_PATH + "/memories").willReturn(aResponse().withStatus(201)
                .withBody("{\"id\":\"m-1\",\"scope\":\"TEAM\",\"namespace\":\"general\"}")));
        platform.stubFor(get(urlPathEqualTo(SELF_PATH + "/memories")).willReturn(okJson(
                "[{\"id\":\"m-1\",\"content\":\"repo is at /workspace/app\",\"scope\":\"TEAM\"}]")));

        assertThat(run("commit_memory", "{\"content\":\"repo is at /workspace/app\",\"scope\":\"team\"}"))
                .isEqualTo("Saved memory m-1 (TEAM).");
        run("commit_memory", "{\"content\":\"a local note\"}");
        assertThat(run("recall_memory", "{\"query\":\"repo app\",\"scope\":\"TEAM\"}")).isEqualTo("[TEAM] repo is at /workspace/app (m-1)");

        platform.verify(postRequestedFor(urlEqualTo(SELF_PATH + "/memories"))
                .withRequestBody(equalToJson("{\"content\":\"repo is at /workspace/app\",\"scope\":\"TEAM\"}")));
        platform.verify(postRequestedFor(urlEqualTo(SELF_PATH + "/memories"))
                .withRequestBody(equalToJson("{\"content\":\"a local note\",\"scope\":\"LOCAL\"}")));
        platform.verify(getRequestedFor(urlEqualTo(SELF_PATH + "/memories?q=repo+app&scope=TEAM")));
    }

    @Test
    void missingPlatformRoutesComeBackAsText() throws Exception {
        platform.stubFor(post(SELF_PATH + "/memories").willReturn(aResponse().withStatus(404).withBody("404 page not found")));
        platform.stubFor(post(SELF_PATH + "/approvals").willReturn(aResponse().withStatus(404).withBody("404 page not found")));

        assertThat(run("commit_memory", "{\"content\":\"x\"}")).isEqualTo("Error: platform answered HTTP 404: 404 page not found");
        assertThat(run("request_approval", "{\"action\":\"deploy\"}")).isEqualTo("Error: platform answered HTTP 404: 404 page not found");
    }

    @Test
    void requestApprovalWaitsForTheDecision() throws Exception {
        platform.stubFor(post(SELF_PATH + "/approvals").willReturn(aResponse().withStatus(201)
                .withBody("{\"approval_id\":\"a-1\",\"status\":\"pending\"}")));
        platform.stubFor(get(SELF_PATH + "/approvals").inScenario("decide").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[{\"id\":\"a-1\",\"status\":\"pending\"},{\"id\":\"old\",\"status\":\"denied\"}]"))
                .willSetStateTo("decided"));
        platform.stubFor(get(SELF_PATH + "/approvals").inScenario("decide").whenScenarioStateIs("decided")
                .willReturn(okJson("[{\"id\":\"a-1\",\"status\":\"approved\",\"decided_by\":\"alice\"}]")));

        assertThat(run("request_approval", "{\"action\":\"deploy to prod\",\"reason\":\"release 2.0\"}"))
                .isEqualTo("{\"approved\":true,\"approval_id\":\"a-1\",\"decided_by\":\"alice\",\"message\":\"status approved\"}");
        platform.verify(postRequestedFor(urlEqualTo(SELF_PATH + "/approvals"))
                .withRequestBody(equalToJson("{\"action\":\"deploy to prod\",\"reason\":\"release 2.0\"}")));
        platform.verify(2, getRequestedFor(urlEqualTo(SELF_PATH + "/approvals")));
    }

    @Test
    void requestApprovalWithoutADecisionInTimeEndsTheTurn() {
        platform.stubFor(post(SELF_PATH + "/approvals").willReturn(aResponse().withStatus(201)
                .withBody("{\"approval_id\":\"a-2\",\"status\":\"pending\"}")));
        platform.stubFor(get(SELF_PATH + "/approvals").willReturn(okJson("[{\"id\":\"a-2\",\"status\":\"pending\"}]")));

        assertThatThrownBy(() -> run("request_approval", "{\"action\":\"rm -rf\"}")).isInstanceOf(TurnStopped.class)
                .hasMessage("Stopped: no decision on the request to rm -rf within 0.6s (approval a-2), so it counts as denied."
                        + " Nothing further was done.");
    }

    @Test
    void aDeniedApprovalEndsTheTurn() {
        platform.stubFor(post(SELF_PATH + "/approvals").willReturn(aResponse().withStatus(201)
                .withBody("{\"approval_id\":\"a-3\",\"status\":\"pending\"}")));
        platform.stubFor(get(SELF_PATH + "/approvals")
                .willReturn(okJson("[{\"id\":\"a-3\",\"status\":\"denied\",\"decided_by\":\"bob\"}]")));

        assertThatThrownBy(() -> run("request_approval", "{\"action\":\"drop the table\"}")).isInstanceOf(TurnStopped.class)
                .hasMessage("Stopped: the request to drop the table was denied by bob (approval a-3). Nothing further was done.");
    }

    @Test
    void badArgumentsAreExplainedToTheModel() throws Exception {
        assertThat(run("delegate_task", "{\"workspace_id\":\"Dev\"}")).isEqualTo("Error: delegate_task: 'task' is required");
        assertThat(run("send_message_to_user", "not json")).isEqualTo("Error: send_message_to_user arguments are not valid JSON");
        assertThat(run("commit_memory", "[1]")).isEqualTo("Error: commit_memory arguments must be a JSON object");
    }
}
