package ai.molecule.runtime.a2a;

import ai.molecule.runtime.RuntimeStats;
import ai.molecule.runtime.agent.LangChainAgent;
import ai.molecule.runtime.files.WorkspaceDir;
import ai.molecule.runtime.model.ModelCandidate;
import ai.molecule.runtime.model.ModelChain;
import ai.molecule.runtime.model.ScriptedChatModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat attachments through the runtime's A2A server on a real HTTP port (spec agent-side §2.2):
 * file parts in both generations become the "Attached files" manifest the model reads (the
 * scripted model echoes its input), and files the reply names come back as file parts.
 */
class A2aFilesTest {
    private static final String UPLOAD = "/workspace/.molecule/chat-uploads/0123456789abcdef0123456789abcdef-notes.txt";
    private static final String MANIFEST = "Attached files:\n- notes.txt (text/plain): " + UPLOAD;

    @TempDir
    Path root;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private A2aServer server;
    private Javalin app;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Path upload = root.resolve(UPLOAD.substring("/workspace/".length()));
        Files.createDirectories(upload.getParent());
        Files.writeString(upload, "meeting notes");
        Files.writeString(root.resolve("out.csv"), "a,b\n1,2\n");
        Files.writeString(root.resolve("secret.txt"), "not for callers");
        Files.createSymbolicLink(root.resolve("passwd-link"), Path.of("/etc/passwd"));
        // echo by default; "report" makes the model hand back files, some of which are not there to hand back
        var model = new ScriptedChatModel(new YAMLMapper().readTree("""
                rules:
                  - match: report
                    reply: "Done: /workspace/out.csv. Also see /workspace/missing.csv and /workspace/passwd-link"
                """));
        var agent = new LangChainAgent(ModelChain.of(new ModelCandidate("scripted", model, model)), "You help.", List.of(), 3);
        server = new A2aServer(A2aServerTest.CARD, agent, new RuntimeStats(), new WorkspaceDir(root));
        app = A2aTestClient.serve(routes -> A2aHttp.mount(routes, "/", () -> server));
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void a03FilePartIsListedAfterTheTextAndOnesOutsideTheWorkspaceAreLeftOut() throws Exception {
        JsonNode result = post("message/send", """
                {"message":{"role":"user","messageId":"m-1","parts":[
                  {"kind":"text","text":"Summarise this"},
                  {"kind":"file","file":{"uri":"workspace:%s","name":"notes.txt","mimeType":"text/plain"}},
                  {"kind":"file","file":{"uri":"file:///etc/passwd","name":"passwd"}},
                  {"kind":"file","file":{"uri":"workspace:/workspace/../secret.txt","name":"secret.txt"}},
                  {"kind":"file","file":{"uri":"/workspace/passwd-link","name":"link"}}]}}""".formatted(UPLOAD)).path("result");

        assertThat(result.at("/parts/0/text").asText()).isEqualTo("echo: Summarise this\n\n" + MANIFEST);
    }

    @Test
    void a10FilePartAloneIsTheWholePrompt() throws Exception {
        JsonNode task = post("SendMessage", """
                {"message":{"role":"ROLE_USER","messageId":"m-2","parts":[
                  {"url":"file://%s","filename":"notes.txt","mediaType":"text/plain"}]}}""".formatted(UPLOAD))
                .at("/result/task");

        assertThat(task.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.at("/status/message/parts/0/text").asText()).isEqualTo("echo: " + MANIFEST);
        assertThat(task.at("/history/0/parts/1/url").asText()).as("the request keeps its file part").isEqualTo("file://" + UPLOAD);
    }

    @Test
    void theAlpha3ShapeAFileWithoutKindIsReadToo() throws Exception {
        JsonNode result = post("message/send", """
                {"message":{"role":"user","messageId":"m-3","parts":[{"text":"see"},
                  {"file":{"uri":"%s","mimeType":"text/plain","name":"notes.txt"}}]}}""".formatted(UPLOAD)).path("result");

        assertThat(result.at("/parts/0/text").asText()).isEqualTo("echo: see\n\n" + MANIFEST);
    }

    @Test
    void aFileTheReplyNamesComesBackAsAFilePartInBothGenerations() throws Exception {
        JsonNode v03 = post("message/send", A2aTestClient.textMessage("make the report")).path("result");
        assertThat(v03.at("/parts/0/text").asText()).startsWith("Done: /workspace/out.csv.");
        assertThat(v03.path("parts")).hasSize(2);
        assertThat(v03.at("/parts/1")).isEqualTo(A2aTestClient.JSON.readTree("""
                {"kind":"file","file":{"uri":"workspace:/workspace/out.csv","name":"out.csv","mimeType":"text/csv"}}"""));

        JsonNode task = post("SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m-4\","
                + "\"parts\":[{\"text\":\"make the report\"}]}}").at("/result/task");
        assertThat(task.at("/status/message/parts/1")).isEqualTo(A2aTestClient.JSON.readTree("""
                {"url":"workspace:/workspace/out.csv","filename":"out.csv","mediaType":"text/csv"}"""));
        assertThat(task.at("/status/message/parts")).hasSize(2);
        assertThat(task.at("/artifacts/0/parts")).as("the streamed text artifact stays text").hasSize(1);
    }

    @Test
    void aStreamedReplyEndsWithTheMessageAndItsFiles() throws Exception {
        List<JsonNode> events = stream("message/stream", A2aTestClient.textMessage("make the report"));

        JsonNode message = events.stream().map(e -> e.path("result"))
                .filter(r -> r.path("kind").asText().equals("message")).findFirst().orElseThrow();
        assertThat(message.at("/parts/1/file/uri").asText()).isEqualTo("workspace:/workspace/out.csv");
        assertThat(events.getLast().at("/result/status/message/parts/1/file/name").asText()).isEqualTo("out.csv");
    }

    private JsonNode post(String method, String params) throws Exception {
        HttpResponse<String> response = send(method, params);
        assertThat(response.statusCode()).isEqualTo(200);
        return A2aTestClient.JSON.readTree(response.body());
    }

    private List<JsonNode> stream(String method, String params) throws Exception {
        HttpResponse<String> response = send(method, params);
        assertThat(response.statusCode()).isEqualTo(200);
        return Arrays.stream(response.body().split("\n\n")).filter(e -> e.startsWith("data: "))
                .map(e -> {
                    try {
                        return A2aTestClient.JSON.readTree(e.substring("data: ".length()));
                    } catch (Exception ex) {
                        throw new AssertionError(e, ex);
                    }
                }).toList();
    }

    private HttpResponse<String> send(String method, String params) throws Exception {
        String body = new A2aTestClient(server).request(method, params);
        return http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
