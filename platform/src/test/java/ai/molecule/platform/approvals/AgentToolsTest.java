package ai.molecule.platform.approvals;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runtime's request_approval, commit_memory and recall_memory tools end to end: real
 * embedded runtimes on scripted models call the platform's routes with their own tokens,
 * and the test plays the human over the API.
 */
class AgentToolsTest {
    private static final String ADMIN = "agent-tools-admin";
    static TestPlatform platform;
    static Http http;
    static Agents agents;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded");
        http = platform.http();
        agents = new Agents(platform, ADMIN);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** A scripted agent that asks for approval first, then runs {@code next} (a JSON list of further steps). */
    private static String askingAgent(String name, String next) {
        return agents.online("{\"name\":\"" + name + "\",\"model\":\"scripted\","
                + "\"secrets\":{\"APPROVAL_POLL_INTERVAL\":\"1\",\"APPROVAL_TIMEOUT\":\"60\"},"
                + "\"config\":{\"script\":{\"steps\":[{\"tool\":\"request_approval\",\"args\":{\"action\":\"deploy {{input}}\","
                + "\"reason\":\"release day\"}}" + next + "]}}}");
    }

    private static CompletableFuture<Http.Response> message(String id, String text) {
        return CompletableFuture.supplyAsync(() -> agents.a2a(id, send(text)));
    }

    /** Waits until the agent's approval request is pending and returns its id. */
    private static String pendingApproval(String id, String action) {
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/workspaces/" + id + "/approvals", agents.admin())
                .json().findValuesAsText("action").contains(action));
        JsonNode row = http.get("/workspaces/" + id + "/approvals", agents.admin()).json().get(0);
        assertThat(row.get("status").asText()).isEqualTo("pending");
        return row.get("id").asText();
    }

    private static String replyText(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("result").path("parts").path(0).path("text").asText();
    }

    @Test
    void anApprovedAgentProceedsAndItsResultArrives() throws Exception {
        String id = askingAgent("Deployer", ",{\"tool\":\"commit_memory\",\"args\":{\"content\":\"outcome {{tool_result}}\"}},"
                + "{\"reply\":\"Deployed. {{tool_result}}\"}");
        CompletableFuture<Http.Response> reply = message(id, "v2.1");
        String approval = pendingApproval(id, "deploy v2.1");
        assertThat(reply).isNotDone(); // the agent is waiting for the human

        assertThat(http.post("/workspaces/" + id + "/approvals/" + approval + "/decide",
                "{\"decision\":\"approved\",\"decided_by\":\"alice\"}", agents.admin()).status()).isEqualTo(200);

        String text = replyText(reply.get(30, TimeUnit.SECONDS));
        assertThat(text).startsWith("Deployed. Saved memory ");
        // the step after the approval really ran: the memory it wrote holds the tool's verdict
        JsonNode memory = http.get("/workspaces/" + id + "/memories?q=outcome", agents.admin()).json().get(0);
        assertThat(memory.get("content").asText()).contains("\"approved\":true").contains("\"approval_id\":\"" + approval + "\"")
                .contains("\"decided_by\":\"alice\"");
    }

    @Test
    void aDeniedApprovalStopsTheAgent() throws Exception {
        String id = askingAgent("Refused", ",{\"tool\":\"commit_memory\",\"args\":{\"content\":\"deployed {{input}}\"}},"
                + "{\"reply\":\"Deployed anyway\"}");
        CompletableFuture<Http.Response> reply = message(id, "v3");
        String approval = pendingApproval(id, "deploy v3");
        assertThat(http.post("/workspaces/" + id + "/approvals/" + approval + "/decide",
                "{\"decision\":\"denied\",\"decided_by\":\"bob\"}", agents.admin()).status()).isEqualTo(200);

        assertThat(replyText(reply.get(30, TimeUnit.SECONDS))).isEqualTo("Stopped: the request to deploy v3 was denied by bob"
                + " (approval " + approval + "). Nothing further was done.");
        // the script's next step (the "deployment") never ran: it would have left a memory
        assertThat(http.get("/workspaces/" + id + "/memories", agents.admin()).json()).isEmpty();
    }

    @Test
    void commitAndRecallMemoryWorkAgainstTheScopedMemoryRoutes() {
        String lead = agents.online("{\"name\":\"Lead\",\"model\":\"scripted\"}");
        String dev = agents.online("{\"name\":\"Dev\",\"model\":\"scripted\",\"parent_id\":\"" + lead + "\","
                + "\"config\":{\"script\":{\"steps\":["
                + "{\"tool\":\"commit_memory\",\"args\":{\"content\":\"the build server is {{input}}\",\"scope\":\"TEAM\"}},"
                + "{\"tool\":\"recall_memory\",\"args\":{\"query\":\"build server\",\"scope\":\"TEAM\"}},"
                + "{\"reply\":\"{{tool_result}}\"}]}}}");
        String text = replyText(agents.a2a(dev, send("ci.internal")));
        assertThat(text).startsWith("[TEAM] the build server is ci.internal (");
        // the parent reads its child's TEAM memory; the memory was written with the agent's own token
        assertThat(http.get("/workspaces/" + lead + "/memories?scope=TEAM&q=build", agents.admin()).json()
                .findValuesAsText("content")).containsExactly("the build server is ci.internal");
    }
}
