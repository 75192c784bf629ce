package ai.molecule.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One workspace's whole life against the packaged jar, watched from a canvas WebSocket:
 * provisioning, register, heartbeats through degraded and back, the liveness sweep taking
 * it offline, recovery, and removal. Short liveness timings keep it to seconds.
 */
class WholeSystemTest {
    private static final Pattern ONE_SOCKET =
            Pattern.compile("(?m)^molecule_websocket_connections_active(\\{[^}]*})? 1(\\.0)?$");

    @TempDir
    static Path home;
    static MoleculeProcess molecule;

    @BeforeAll
    static void boot() {
        // the test plays the agent itself (register, heartbeats): no provisioner may start one for it
        molecule = MoleculeProcess.start(home, "LIVENESS_TTL_SECONDS", "2", "LIVENESS_SWEEP_INTERVAL_MS", "300",
                        "MOLECULE_PROVISIONER", "none")
                .awaitHealthy(Duration.ofSeconds(90));
    }

    @AfterAll
    static void shutdown() {
        if (molecule != null) molecule.close();
    }

    @Test
    void healthIsExactlyStatusOk() {
        Http.Response r = new Http(molecule.base()).get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void workspaceLifecycleIsBroadcastInOrderAndRecorded() {
        Http anon = new Http(molecule.base());
        try (WsRecorder ws = WsRecorder.connect(molecule.base())) {
            // the socket counts once the server has registered the client, so no event can be missed
            await().atMost(Duration.ofSeconds(5)).until(() -> ONE_SOCKET.matcher(anon.get("/metrics").body()).find());

            Http.Response created = anon.post("/workspaces", "{\"name\":\"e2e-agent\",\"tier\":2}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("status").asText()).isEqualTo("provisioning");
            String id = created.json().path("id").asText();

            Http.Response reg = anon.post("/registry/register",
                    "{\"id\":\"" + id + "\",\"url\":\"http://93.184.216.34:8000\",\"agent_card\":{\"name\":\"e2e-agent\"}}");
            assertThat(reg.status()).as(reg.body()).isEqualTo(200);
            assertThat(reg.json().path("status").asText()).isEqualTo("registered");
            String token = reg.json().path("auth_token").asText();
            assertThat(token).isNotBlank();
            Http agent = anon.withBearer(token);

            // once the workspace has a token, the registry demands it
            assertThat(anon.post("/registry/heartbeat", "{\"workspace_id\":\"" + id + "\"}").body())
                    .isEqualTo("{\"error\":\"missing workspace auth token\"}");

            heartbeat(agent, id, 0);
            heartbeat(agent, id, 0.6);
            assertThat(status(agent, id)).isEqualTo("degraded");
            heartbeat(agent, id, 0);
            assertThat(status(agent, id)).isEqualTo("online");

            // silence: the sweep (TTL 2 s, every 300 ms) must take it offline
            await().atMost(Duration.ofSeconds(15)).until(() -> ws.events(id).contains("WORKSPACE_OFFLINE"));
            assertThat(status(agent, id)).isEqualTo("offline");
            heartbeat(agent, id, 0);
            assertThat(status(agent, id)).isEqualTo("online");

            Http.Response deleted = agent.delete("/workspaces/" + id);
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(deleted.json()).isEqualTo(Http.json("{\"status\":\"removed\",\"cascade_deleted\":0}"));

            List<String> expected = List.of(
                    "WORKSPACE_PROVISIONING", // POST /workspaces
                    "WORKSPACE_ONLINE", // register
                    "WORKSPACE_HEARTBEAT", // healthy heartbeat: no transition
                    "WORKSPACE_DEGRADED", "WORKSPACE_HEARTBEAT", // error_rate 0.6: transition first
                    "WORKSPACE_ONLINE", "WORKSPACE_HEARTBEAT", // error_rate 0: recovered
                    "WORKSPACE_OFFLINE", // liveness sweep
                    "WORKSPACE_ONLINE", "WORKSPACE_HEARTBEAT", // heartbeat after offline
                    "WORKSPACE_REMOVED");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ws.events(id)).containsExactlyElementsOf(expected));

            JsonNode degraded = ws.frames(id).get(3);
            assertThat(degraded.path("payload").path("error_rate").asDouble()).isEqualTo(0.6);
            assertThat(degraded.path("timestamp").asText()).isNotBlank();

            // the token died with the workspace, so /events is open again; heartbeats are broadcast-only
            Http.Response events = anon.get("/events/" + id);
            assertThat(events.status()).as(events.body()).isEqualTo(200);
            List<String> recorded = StreamSupport.stream(events.json().spliterator(), false)
                    .map(e -> e.path("event_type").asText()).toList();
            assertThat(recorded).containsExactlyElementsOf(expected.stream()
                    .filter(e -> !e.equals("WORKSPACE_HEARTBEAT")).toList().reversed()); // newest first
            List<String> all = StreamSupport.stream(anon.get("/events").json().spliterator(), false)
                    .filter(e -> id.equals(e.path("workspace_id").asText()))
                    .map(e -> e.path("event_type").asText()).toList();
            assertThat(all).isEqualTo(recorded);
        }
    }

    private static void heartbeat(Http agent, String id, double errorRate) {
        Http.Response r = agent.post("/registry/heartbeat",
                "{\"workspace_id\":\"" + id + "\",\"error_rate\":" + errorRate + ",\"active_tasks\":1,\"uptime_seconds\":5}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    private static String status(Http agent, String id) {
        return agent.get("/workspaces/" + id).json().path("status").asText();
    }
}
