package ai.molecule.platform.registry;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The timed half of the status machine (spec §6) with second-scale timings: silent agents
 * go offline after the TTL (external ones after the remote stale time), a heartbeat brings
 * them back, and workspaces nobody registers fail after the provision timeout.
 */
class LivenessTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "liveness-test-admin";
    private static final Duration WAIT = Duration.ofSeconds(10);

    static TestPlatform platform;
    static Http http;
    static WsClient ws;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN,
                "LIVENESS_TTL_SECONDS", "1",
                "LIVENESS_SWEEP_INTERVAL_MS", "200",
                "PROVISION_TIMEOUT_SECONDS", "1",
                "REMOTE_LIVENESS_STALE_AFTER", "30");
        http = platform.http();
        ws = WsClient.connect(http.base());
        String probe = platform.createWorkspace("{\"name\":\"probe\"}", "Authorization", bearer(ADMIN));
        platform.register(probe);
        await().atMost(WAIT).until(() -> ws.events(probe).contains("WORKSPACE_ONLINE"));
    }

    @AfterAll
    static void stop() {
        ws.close();
        platform.close();
    }

    private static String status(String id) {
        return http.get("/workspaces/" + id).json().get("status").asText();
    }

    private static List<JsonNode> payloads(String id, String event) {
        return ws.frames().stream()
                .filter(f -> id.equals(f.path("workspace_id").asText()) && event.equals(f.path("event").asText()))
                .map(f -> f.get("payload")).toList();
    }

    private static void sql(String statement, String id) {
        platform.platform().database().jdbi().useHandle(h -> h.createUpdate(statement).bind("id", UUID.fromString(id)).execute());
    }

    private static void heartbeat(String id, String token) {
        Http.Response r = http.post("/registry/heartbeat", "{\"workspace_id\":\"" + id + "\"}", "Authorization", bearer(token));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void aSilentAgentGoesOfflineAndAHeartbeatBringsItBack() throws Exception {
        String id = platform.createWorkspace("{\"name\":\"id\"}", "Authorization", bearer(ADMIN));
        String token = platform.register(id);
        assertThat(status(id)).isEqualTo("online");

        await().atMost(WAIT).until(() -> status(id).equals("offline"));
        await().atMost(WAIT).until(() -> payloads(id, "WORKSPACE_OFFLINE").size() == 1);
        assertThat(payloads(id, "WORKSPACE_OFFLINE").get(0)).isEqualTo(MAPPER.readTree("{}"));

        heartbeat(id, token);
        assertThat(status(id)).isEqualTo("online");
        await().atMost(WAIT).until(() -> payloads(id, "WORKSPACE_ONLINE").size() == 2);
        assertThat(payloads(id, "WORKSPACE_ONLINE").get(1)).isEqualTo(MAPPER.readTree("{}"));

        // the heartbeat refreshed liveness only for another TTL: silent again → offline again
        await().atMost(WAIT).until(() -> payloads(id, "WORKSPACE_OFFLINE").size() == 2);
        assertThat(status(id)).isEqualTo("offline");
    }

    @Test
    void heartbeatsKeepAWorkspaceOnlineWhileASilentOneGoesOffline() {
        String busy = platform.createWorkspace("{\"name\":\"busy\"}", "Authorization", bearer(ADMIN)),
                silent = platform.createWorkspace("{\"name\":\"silent\"}", "Authorization", bearer(ADMIN));
        String token = platform.register(busy);
        platform.register(silent);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            heartbeat(busy, token);
            return status(silent).equals("offline");
        });
        assertThat(status(busy)).isEqualTo("online");
        assertThat(payloads(busy, "WORKSPACE_OFFLINE")).isEmpty();
    }

    @Test
    void aDegradedWorkspaceGoesOfflineToo() {
        String id = platform.createWorkspace("{\"name\":\"id\"}", "Authorization", bearer(ADMIN));
        String token = platform.register(id);
        Http.Response r = http.post("/registry/heartbeat", "{\"workspace_id\":\"" + id + "\",\"error_rate\":0.9}",
                "Authorization", bearer(token));
        assertThat(r.status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo("degraded");
        await().atMost(WAIT).until(() -> status(id).equals("offline"));
        await().atMost(WAIT).until(() -> payloads(id, "WORKSPACE_OFFLINE").size() == 1);
    }

    @Test
    void externalWorkspacesUseTheRemoteStaleTime() {
        String external = platform.createWorkspace(
                "{\"name\":\"Remote\",\"external\":true,\"url\":\"http://93.184.216.34:8000\"}", "Authorization", bearer(ADMIN));
        String internal = platform.createWorkspace("{\"name\":\"internal\"}", "Authorization", bearer(ADMIN));
        platform.register(internal);
        assertThat(status(external)).isEqualTo("online");
        // both silent for 2 s: past the 1 s TTL, well inside the 30 s remote stale time
        for (String id : List.of(external, internal)) {
            sql("UPDATE workspaces SET last_heartbeat_at = now() - interval '2 seconds' WHERE id = :id", id);
        }
        await().atMost(WAIT).until(() -> status(internal).equals("offline"));
        // the same sweep judged the external one and kept it
        assertThat(status(external)).isEqualTo("online");
        assertThat(payloads(external, "WORKSPACE_OFFLINE")).isEmpty();

        sql("UPDATE workspaces SET last_heartbeat_at = now() - interval '31 seconds' WHERE id = :id", external);
        await().atMost(WAIT).until(() -> status(external).equals("offline"));
        await().atMost(WAIT).until(() -> payloads(external, "WORKSPACE_OFFLINE").size() == 1);
    }

    @Test
    void anExternalWorkspaceThatNeverHeartbeatedIsNotSwept() {
        String external = platform.createWorkspace(
                "{\"name\":\"Remote2\",\"external\":true,\"url\":\"http://93.184.216.34:8000\"}", "Authorization", bearer(ADMIN));
        String control = platform.createWorkspace("{\"name\":\"control\"}", "Authorization", bearer(ADMIN));
        platform.register(control);
        await().atMost(WAIT).until(() -> status(control).equals("offline"));
        assertThat(status(external)).as("last_heartbeat_at is null: nothing to judge").isEqualTo("online");
    }

    @Test
    void pausedRemovedAndOtherStatesAreNeverSweptOffline() {
        Map<String, String> byStatus = new LinkedHashMap<>();
        for (String s : List.of("paused", "removed", "hibernated", "failed", "awaiting_agent")) {
            String id = platform.createWorkspace("{\"name\":\"id\"}", "Authorization", bearer(ADMIN));
            platform.register(id);
            sql("UPDATE workspaces SET status = '" + s + "', last_heartbeat_at = now() - interval '1 hour' WHERE id = :id", id);
            byStatus.put(s, id);
        }
        String control = platform.createWorkspace("{\"name\":\"control\"}", "Authorization", bearer(ADMIN));
        platform.register(control);
        sql("UPDATE workspaces SET last_heartbeat_at = now() - interval '1 hour' WHERE id = :id", control);
        await().atMost(WAIT).until(() -> status(control).equals("offline"));
        // several more sweeps
        String later = platform.createWorkspace("{\"name\":\"later\"}", "Authorization", bearer(ADMIN));
        platform.register(later);
        await().atMost(WAIT).until(() -> status(later).equals("offline"));

        byStatus.forEach((s, id) -> {
            assertThat(status(id)).as(s).isEqualTo(s);
            assertThat(payloads(id, "WORKSPACE_OFFLINE")).as(s).isEmpty();
        });
    }

    @Test
    void aWorkspaceNobodyRegistersFailsWithAVisibleReason() throws Exception {
        String id = platform.createWorkspace("{\"name\":\"Never\"}", "Authorization", bearer(ADMIN));
        await().atMost(WAIT).until(() -> status(id).equals("failed"));
        String reason = "provisioning timed out: no agent registered within 1s";
        await().atMost(WAIT).until(() -> payloads(id, "WORKSPACE_PROVISION_FAILED").size() == 1);
        assertThat(payloads(id, "WORKSPACE_PROVISION_FAILED").get(0))
                .isEqualTo(MAPPER.readTree("{\"error\":\"" + reason + "\",\"timeout_secs\":1}"));

        JsonNode list = http.get("/workspaces", "Authorization", bearer(ADMIN)).json();
        JsonNode row = StreamSupport.stream(list.spliterator(), false)
                .filter(w -> id.equals(w.get("id").asText())).findFirst().orElseThrow();
        assertThat(row.get("status").asText()).isEqualTo("failed");
        assertThat(row.get("last_sample_error").asText()).isEqualTo(reason);

        JsonNode events = http.get("/events/" + id, "Authorization", bearer(ADMIN)).json();
        assertThat(events.findValuesAsText("event_type")).containsExactly("WORKSPACE_PROVISION_FAILED", "WORKSPACE_PROVISIONING");
    }

    @Test
    void aWorkspaceThatRegistersInTimeDoesNotFail() {
        String id = platform.createWorkspace("{\"name\":\"Quick\"}", "Authorization", bearer(ADMIN));
        platform.register(id);
        String control = platform.createWorkspace("{\"name\":\"Slow\"}", "Authorization", bearer(ADMIN));
        await().atMost(WAIT).until(() -> status(control).equals("failed"));
        assertThat(payloads(id, "WORKSPACE_PROVISION_FAILED")).isEmpty();
        assertThat(status(id)).isIn("online", "offline");
    }
}
