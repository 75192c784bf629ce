package ai.molecule.platform.files;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chat attachment end to end (spec §1.14, agent-side §2.2): the canvas uploads a file, sends a
 * message with its file part through the proxy, and the embedded runtime's model reads the
 * attachment manifest (the scripted model echoes what it was given); the reply names the file, so it
 * comes back as a file part the canvas can download.
 */
class ChatAttachmentsTest {
    private static final String ADMIN = "attachments-admin";
    static TestPlatform platform;
    static Agents agents;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded");
        agents = new Agents(platform, ADMIN);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void theModelIsToldWhereTheUploadIsAndTheReplyHandsItBack() {
        String ws = agents.online("{\"name\":\"Reader\",\"model\":\"scripted\"}");
        Http.Response up = platform.http().upload("/workspaces/" + ws + "/chat/uploads", "notes.txt", "text/plain",
                "meeting notes", agents.admin());
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        String uri = up.json().at("/files/0/uri").asText();
        String path = uri.substring("workspace:".length());

        Http.Response r = agents.a2a(ws, "{\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\",\"parts\":["
                + "{\"kind\":\"text\",\"text\":\"Read this\"},"
                + "{\"kind\":\"file\",\"file\":{\"uri\":\"" + uri + "\",\"name\":\"notes.txt\",\"mimeType\":\"text/plain\"}}]}}}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode result = r.json().path("result");
        assertThat(result.at("/parts/0/text").asText())
                .isEqualTo("echo: Read this\n\nAttached files:\n- notes.txt (text/plain): " + path);
        JsonNode file = result.at("/parts/1/file");
        assertThat(file.path("uri").asText()).isEqualTo(uri);
        assertThat(file.path("mimeType").asText()).isEqualTo("text/plain");
        Http.Response download = platform.http().get("/workspaces/" + ws + "/chat/download?path=" + path, agents.admin());
        assertThat(download.body()).isEqualTo("meeting notes");
    }
}
