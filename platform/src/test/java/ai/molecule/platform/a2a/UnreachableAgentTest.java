package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Spec §3.2 step 10: a target nobody listens for is marked offline and a restart is triggered. */
class UnreachableAgentTest {

    @Test
    void aDeadAgentIsMarkedOfflineAndTheCallerToldARestartIsUnderWay() throws IOException {
        // development mode lets the test register a loopback URL; nothing listens on that port
        try (TestPlatform platform = TestPlatform.start("MOLECULE_ENV", "development")) {
            Http http = platform.http();
            String id = platform.createWorkspace("{\"name\":\"Gone\"}");
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            assertThat(http.post("/registry/register", "{\"id\":\"" + id + "\",\"url\":\"http://127.0.0.1:" + closedPort
                    + "\",\"agent_card\":{\"name\":\"gone\"}}").status()).isEqualTo(200);
            try (WsClient ws = WsClient.connect(http.base())) {
                Http.Response r = http.post("/workspaces/" + id + "/a2a",
                        "{\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}]}}}");

                assertThat(r.status()).isEqualTo(503);
                assertThat(r.json().get("error").asText()).isEqualTo("workspace agent unreachable — container restart triggered");
                assertThat(r.json().get("restarting").asBoolean()).isTrue();
                assertThat(http.get("/workspaces/" + id).json().get("status").asText()).isEqualTo("offline");
                await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(id).contains("WORKSPACE_OFFLINE"));
                assertThat(http.get("/workspaces/" + id + "/activity").json().get(0).get("summary").asText())
                        .isEqualTo("A2A request to Gone failed: connection refused");
            }
        }
    }
}
