package ai.molecule.platform.approvals;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The approval routes (spec §1.7) with their events on a real /ws. */
class ApprovalTest {
    private static final String ADMIN = "approval-admin";
    static TestPlatform platform;
    static Http http;
    static WsClient ws;
    static String root, child;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN);
        http = platform.http();
        ws = WsClient.connect(http.base());
        root = platform.createWorkspace("{\"name\":\"Approver Root\"}", admin());
        child = platform.createWorkspace("{\"name\":\"Asking Child\",\"parent_id\":\"" + root + "\"}", admin());
    }

    @AfterAll
    static void stop() {
        ws.close();
        platform.close();
    }

    private static String[] admin() {
        return new String[]{"Authorization", Http.bearer(ADMIN)};
    }

    private static JsonNode frame(String type, String approvalId) {
        await().atMost(Duration.ofSeconds(5)).until(() -> ws.frames().stream().anyMatch(f -> matches(f, type, approvalId)));
        return ws.frames().stream().filter(f -> matches(f, type, approvalId)).findFirst().orElseThrow();
    }

    private static boolean matches(JsonNode f, String type, String approvalId) {
        return f.path("event").asText().equals(type) && f.path("payload").path("approval_id").asText().equals(approvalId);
    }

    @Test
    void requestListDecideWithEvents() {
        Http.Response created = http.post("/workspaces/" + child + "/approvals",
                "{\"action\":\"delete the staging database\",\"reason\":\"it is corrupt\",\"task_id\":\"t-1\",\"context\":{\"db\":\"staging\"}}",
                admin());
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("approval_id").asText();
        assertThat(created.body()).isEqualTo("{\"approval_id\":\"" + id + "\",\"status\":\"pending\"}");

        JsonNode requested = frame("APPROVAL_REQUESTED", id);
        assertThat(requested.get("workspace_id").asText()).isEqualTo(child);
        assertThat(requested.get("payload").toString()).isEqualTo("{\"approval_id\":\"" + id
                + "\",\"action\":\"delete the staging database\",\"reason\":\"it is corrupt\",\"task_id\":\"t-1\"}");
        JsonNode escalated = frame("APPROVAL_ESCALATED", id);
        assertThat(escalated.get("workspace_id").asText()).isEqualTo(root);
        assertThat(escalated.get("payload").get("from_workspace_id").asText()).isEqualTo(child);

        JsonNode listed = http.get("/workspaces/" + child + "/approvals", admin()).json().get(0);
        assertThat(listed.get("id").asText()).isEqualTo(id);
        assertThat(listed.get("status").asText()).isEqualTo("pending");
        assertThat(listed.get("task_id").asText()).isEqualTo("t-1");
        assertThat(listed.get("decided_by").isNull()).isTrue();
        assertThat(http.get("/approvals/pending", admin()).body()).contains(id).contains("\"workspace_name\":\"Asking Child\"");

        String decide = "/workspaces/" + child + "/approvals/" + id + "/decide";
        assertThat(http.post(decide, "{\"decision\":\"maybe\"}", admin()).body())
                .isEqualTo("{\"error\":\"decision must be 'approved' or 'denied'\"}");
        // another workspace cannot decide it
        assertThat(http.post("/workspaces/" + root + "/approvals/" + id + "/decide", "{\"decision\":\"approved\"}", admin()).status())
                .isEqualTo(404);
        Http.Response ok = http.post(decide, "{\"decision\":\"denied\",\"decided_by\":\"alice\"}", admin());
        assertThat(ok.body()).isEqualTo("{\"status\":\"denied\",\"approval_id\":\"" + id + "\"}");
        assertThat(frame("APPROVAL_DENIED", id).get("payload").toString())
                .isEqualTo("{\"approval_id\":\"" + id + "\",\"decision\":\"denied\",\"decided_by\":\"alice\"}");
        Http.Response again = http.post(decide, "{\"decision\":\"approved\"}", admin());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body()).isEqualTo("{\"error\":\"approval not found or already decided\"}");

        JsonNode decided = http.get("/workspaces/" + child + "/approvals", admin()).json().get(0);
        assertThat(decided.get("status").asText()).isEqualTo("denied");
        assertThat(decided.get("decided_by").asText()).isEqualTo("alice");
        assertThat(decided.get("decided_at").isNull()).isFalse();
        assertThat(http.get("/approvals/pending", admin()).body()).doesNotContain(id);
        assertThat(http.get("/events/" + child, admin()).body()).contains("APPROVAL_REQUESTED").contains("APPROVAL_DENIED");
    }

    @Test
    void approvingDefaultsDecidedByToHuman() {
        String id = http.post("/workspaces/" + root + "/approvals", "{\"action\":\"ship it\"}", admin()).json().get("approval_id").asText();
        assertThat(http.post("/workspaces/" + root + "/approvals/" + id + "/decide", "{\"decision\":\"approved\"}", admin()).status())
                .isEqualTo(200);
        assertThat(frame("APPROVAL_APPROVED", id).get("payload").get("decided_by").asText()).isEqualTo("human");
    }

    @Test
    void pendingRequestsOlderThanTenMinutesAreAutoDenied() {
        String id = http.post("/workspaces/" + root + "/approvals", "{\"action\":\"old request\"}", admin())
                .json().get("approval_id").asText();
        platform.platform().database().jdbi().useHandle(h -> h.createUpdate(
                "UPDATE approval_requests SET created_at = now() - interval '11 minutes' WHERE id = CAST(:id AS uuid)")
                .bind("id", id).execute());
        assertThat(http.get("/approvals/pending", admin()).body()).doesNotContain(id);
        JsonNode row = null;
        for (JsonNode a : http.get("/workspaces/" + root + "/approvals", admin()).json()) if (a.get("id").asText().equals(id)) row = a;
        assertThat(row).isNotNull();
        assertThat(row.get("status").asText()).isEqualTo("denied");
        assertThat(row.get("decided_by").asText()).isEqualTo("auto-expired");
    }

    @Test
    void badInput() {
        String path = "/workspaces/" + root + "/approvals";
        assertThat(http.post(path, "{\"reason\":\"no action\"}", admin()).body()).isEqualTo("{\"error\":\"invalid request body\"}");
        assertThat(http.post(path, "{\"action\":\"x\",\"context\":[1]}", admin()).status()).isEqualTo(400);
        assertThat(http.post(path, "{\"action\":\"x\"}").status()).isEqualTo(401);
        assertThat(http.get("/approvals/pending").status()).isEqualTo(401);
        assertThat(http.post(path + "/nope/decide", "{\"decision\":\"approved\"}", admin()).status()).isEqualTo(404);
    }
}
