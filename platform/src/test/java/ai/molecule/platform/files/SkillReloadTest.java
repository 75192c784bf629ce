package ai.molecule.platform.files;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A skill edited through the files API reaches the running embedded agent without a restart:
 * the model (a local fake of the OpenAI chat API that answers with the instruction it finds
 * in its system prompt) answers differently on the next message, and the card lists the skill.
 */
class SkillReloadTest {
    private static final String ADMIN = "skills-admin";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Answers "rule: <the line after 'RULE:' in the system prompt>", or "rule: none". */
    private static HttpServer fakeModel() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", ex -> {
            JsonNode req = MAPPER.readTree(ex.getRequestBody());
            String system = "";
            for (JsonNode m : req.path("messages")) if (m.path("role").asText().equals("system")) system = m.path("content").asText();
            int at = system.indexOf("RULE:");
            String rule = at < 0 ? "none" : system.substring(at + 5).lines().findFirst().orElse("").strip();
            String text = JsonNodeFactory.instance.textNode("rule: " + rule).toString();
            boolean stream = req.path("stream").asBoolean(false);
            String body = stream
                    ? "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
                      + text + "}}]}\n\ndata: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                      + "data: [DONE]\n\n"
                    : """
                    {"id":"c1","object":"chat.completion","created":1700000000,"model":"fake",
                     "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""".formatted(text);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    @Test
    void anEditedSkillChangesTheNextAnswer() throws Exception {
        HttpServer model = fakeModel();
        try (TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded")) {
            Agents agents = new Agents(platform, ADMIN);
            Http http = platform.http();
            String ws = agents.create("{\"name\":\"Skilled\",\"model\":\"openai-compatible:fake\",\"config\":{\"skills\":[\"tone\"]},"
                    + "\"secrets\":{\"OPENAI_COMPATIBLE_BASE_URL\":\"http://127.0.0.1:" + model.getAddress().getPort() + "/v1\","
                    + "\"SKILL_WATCH_INTERVAL_SECONDS\":\"0.2\"}}");
            http.put("/workspaces/" + ws + "/files/skills/tone/SKILL.md",
                    "{\"content\":\"---\\nname: tone\\ndescription: How to answer\\n---\\nRULE: answer in French\"}", agents.admin());
            agents.awaitStatus(ws, "online");
            await().atMost(Duration.ofSeconds(20)).until(() -> ask(agents, ws).equals("rule: answer in French"));
            String runtimeStarts = startsOf(http, agents);

            http.put("/workspaces/" + ws + "/files/skills/tone/SKILL.md",
                    "{\"content\":\"---\\nname: tone\\ndescription: How to answer, v2\\n---\\nRULE: answer in German\"}", agents.admin());
            await().atMost(Duration.ofSeconds(20)).until(() -> ask(agents, ws).equals("rule: answer in German"));
            assertThat(startsOf(http, agents)).as("no restart happened").isEqualTo(runtimeStarts);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    agents.workspace(ws).path("agent_card").toString().contains("How to answer, v2"));
        } finally {
            model.stop(0);
        }
    }

    private static String ask(Agents agents, String ws) {
        Http.Response r = agents.a2a(ws, Agents.send("How should you answer?"), agents.admin());
        return r.status() == 200 ? r.json().at("/result/parts/0/text").asText() : "";
    }

    /** How many times the runtime went through provisioning (a restart would add one). */
    private static String startsOf(Http http, Agents agents) {
        return String.valueOf(http.get("/events", agents.admin()).json().findValuesAsText("event_type").stream()
                .filter("WORKSPACE_PROVISIONING"::equals).count());
    }
}
