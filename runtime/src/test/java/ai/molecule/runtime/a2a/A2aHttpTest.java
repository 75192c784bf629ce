package ai.molecule.runtime.a2a;

import ai.molecule.runtime.RuntimeStats;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint served by {@link A2aHttp} on a real Javalin server, called with java.net.http. */
class A2aHttpTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final A2aServer server = new A2aServer(A2aServerTest.CARD, Agents.streaming(), new RuntimeStats(), A2aServerTest.NO_FILES);
    private Javalin app;
    private String base;

    @BeforeEach
    void start() {
        app = A2aTestClient.serve(routes -> {
            A2aHttp.mount(routes, "/agents/pm", () -> server);
            A2aHttp.mount(routes, "/agents/gone", () -> null);
        });
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void sendAnswersJson() throws Exception {
        HttpResponse<String> response = post("/agents/pm", "message/send", A2aTestClient.textMessage("hi"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(A2aTestClient.JSON.readTree(response.body()).at("/result/parts/0/text").asText()).isEqualTo("Hello");
    }

    @Test
    void streamAnswersServerSentEvents() throws Exception {
        HttpResponse<String> response = post("/agents/pm", "SendStreamingMessage",
                "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"a\",\"parts\":[{\"text\":\"go\"}]}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> events = Arrays.stream(response.body().split("\n\n")).filter(e -> !e.isBlank()).toList();
        assertThat(events).allSatisfy(e -> assertThat(e).startsWith("data: "));
        List<JsonNode> results = events.stream().map(e -> read(e.substring("data: ".length()))).toList();
        assertThat(results).extracting(r -> r.path("result").fieldNames().next())
                .containsExactly("task", "statusUpdate", "artifactUpdate", "artifactUpdate", "statusUpdate");
        assertThat(results.getLast().at("/result/statusUpdate/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
    }

    @Test
    void theA2aVersionHeaderReachesTheEndpoint() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/agents/pm"))
                .header("Content-Type", "application/json").header("A2A-Version", "9.9")
                .POST(HttpRequest.BodyPublishers.ofString(new A2aTestClient(server).request("message/send",
                        A2aTestClient.textMessage("hi")))).build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(read(response.body()).at("/error/code").asInt()).isEqualTo(-32009);
    }

    @Test
    void theCardIsServedAtBothWellKnownPaths() throws Exception {
        for (String path : List.of("/agents/pm/.well-known/agent-card.json", "/agents/pm/.well-known/agent.json")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(read(response.body()).path("name").asText()).isEqualTo("PM");
        }
    }

    @Test
    void aMissingEndpointIs404() throws Exception {
        assertThat(post("/agents/gone", "message/send", A2aTestClient.textMessage("hi")).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> post(String path, String method, String params) throws Exception {
        String body = new A2aTestClient(server).request(method, params);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode read(String json) {
        try {
            return A2aTestClient.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
