package ai.molecule.platform.provisioner;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import static ai.molecule.platform.testkit.Agents.send;
import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec §2.2: the platform mints a provisioned workspace's token before its runtime starts and
 * hands it over in the config dir, so no one racing the runtime's first registration can take
 * the workspace; the token survives restarts.
 */
class ProvisionedTokenTest {
    private static final String ADMIN = "provisioned-token-admin";

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

    private static String registerBody(String id) {
        return "{\"id\":\"" + id + "\",\"url\":\"http://93.184.216.34:8000\",\"agent_card\":{\"name\":\"thief\"}}";
    }

    /** A runtime that never gets to register (no model key) leaves the window wide open without the fix. */
    @Test
    void aWorkspaceWhoseRuntimeHasNotRegisteredCannotBeTaken() {
        String id = agents.create("{\"name\":\"Slow\",\"model\":\"anthropic:claude-sonnet-4-5\"}");
        Http.Response hijack = http.post("/registry/register", registerBody(id));
        assertThat(hijack.status()).as(hijack.toString()).isEqualTo(401);
        assertThat(hijack.body()).doesNotContain("auth_token");
        assertThat(agents.workspace(id).path("agent_card").path("name").asText()).isNotEqualTo("thief");
    }

    @Test
    void aCallerRacingTheRuntimeCannotTakeTheWorkspace() throws Exception {
        String id = agents.create("{\"name\":\"Owned\",\"model\":\"scripted\"}");
        // the token exists from the moment POST /workspaces answered
        Http.Response hijack = http.post("/registry/register", registerBody(id));
        assertThat(hijack.status()).as(hijack.toString()).isEqualTo(401);
        assertThat(hijack.body()).doesNotContain("auth_token");

        agents.awaitStatus(id, "online");
        assertThat(agents.workspace(id).get("url").asText()).endsWith("/agents/" + id);
        assertThat(agents.workspace(id).path("agent_card").path("name").asText()).isNotEqualTo("thief");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agents.tokenFile(id)))).isEqualTo("rw-------");
        String token = agents.token(id);
        assertThat(http.get("/workspaces/" + id + "/state", "Authorization", bearer(token)).status()).isEqualTo(200);
        assertThat(http.get("/workspaces/" + id + "/tokens", agents.admin()).json().get("count").asInt())
                .as("one token: the runtime's registration did not mint another").isEqualTo(1);
    }

    @Test
    void aRestartKeepsALiveTokenAndReplacesARevokedOne() throws Exception {
        String id = agents.create("{\"name\":\"Kept\",\"model\":\"scripted\"}");
        agents.awaitStatus(id, "online");
        String token = agents.token(id);
        restart(id);
        assertThat(agents.token(id)).as("same token after a restart").isEqualTo(token);
        assertThat(http.get("/workspaces/" + id + "/state", "Authorization", bearer(token)).status()).isEqualTo(200);

        String tokenId = http.get("/workspaces/" + id + "/tokens", agents.admin()).json().at("/tokens/0/id").asText();
        assertThat(http.delete("/workspaces/" + id + "/tokens/" + tokenId, agents.admin()).status()).isEqualTo(200);
        restart(id);
        String fresh = agents.token(id);
        assertThat(fresh).isNotEqualTo(token);
        assertThat(http.get("/workspaces/" + id + "/state", "Authorization", bearer(fresh)).status()).isEqualTo(200);
        assertThat(agents.a2a(id, send("after")).json().at("/result/parts/0/text").asText()).isEqualTo("echo: after");
    }

    private static void restart(String id) {
        // the route marks the row provisioning before it answers; online again = the new runtime registered
        assertThat(http.post("/workspaces/" + id + "/restart", null, agents.admin()).status()).isEqualTo(200);
        agents.awaitStatus(id, "online");
    }
}
