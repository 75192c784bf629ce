package ai.molecule.platform.files;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    /** Uploads {@code notes.txt} to {@code ws} and returns its {@code workspace:} uri. */
    private static String upload(String ws) {
        Http.Response up = platform.http().upload("/workspaces/" + ws + "/chat/uploads", "notes.txt", "text/plain",
                "meeting notes", agents.admin());
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        return up.json().at("/files/0/uri").asText();
    }

    /** What the canvas sends: the text, then the upload as a 0.3 file part. */
    private static String message(String method, String uri) {
        return "{\"method\":\"" + method + "\",\"params\":{\"message\":{\"role\":\"user\",\"parts\":["
                + "{\"kind\":\"text\",\"text\":\"Read this\"},"
                + "{\"kind\":\"file\",\"file\":{\"uri\":\"" + uri + "\",\"name\":\"notes.txt\",\"mimeType\":\"text/plain\"}}]}}}";
    }

    @Test
    void theModelIsToldWhereTheUploadIsAndTheReplyHandsItBack() {
        String ws = agents.online("{\"name\":\"Reader\",\"model\":\"scripted\"}");
        String uri = upload(ws);
        String path = uri.substring("workspace:".length());

        Http.Response r = agents.a2a(ws, message("message/send", uri));

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

    @Test
    void aStreamedReplyIsLoggedWithItsFilePartWhereTheCanvasHistoryReadsIt() {
        String ws = agents.online("{\"name\":\"Streamer\",\"model\":\"scripted\"}");
        String uri = upload(ws);

        Http.Response r = agents.a2a(ws, message("message/stream", uri), "Accept", "text/event-stream");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("Attached files:").contains("\"file\":{\"uri\":\"" + uri + "\"");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(agents.activity(ws, "a2a_receive"))
                .anySatisfy(row -> assertThat(row.at("/response_body/result/status/message/parts/1/file/uri").asText())
                        .isEqualTo(uri)));
    }
}
