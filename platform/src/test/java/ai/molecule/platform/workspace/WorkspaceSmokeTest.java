package ai.molecule.platform.workspace;

import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkspaceSmokeTest {
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void createThenListShowsGoStyleNumbersAndEmitsProvisioning() {
        try (WsClient ws = WsClient.connect(platform.http().base())) {
            String id = platform.createWorkspace("{\"name\":\"PM\",\"canvas\":{\"x\":100,\"y\":1.5}}");
            String list = platform.http().get("/workspaces").body();
            assertThat(list).contains("\"x\":100", "\"y\":1.5", "\"parent_id\":null", "\"agent_card\":null", "\"last_error_rate\":0");
            await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(id).contains("WORKSPACE_PROVISIONING"));
        }
    }
}
