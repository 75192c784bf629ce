package ai.molecule.platform.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A local fake of the OpenAI chat API that shows what reached the system prompt: it answers
 * "rule: " and the text after each {@code RULE:} in the system prompt (joined by "; "), or
 * "rule: none". Workspaces use it with model {@code openai-compatible:fake} and the secret
 * {@code OPENAI_COMPATIBLE_BASE_URL} = {@link #baseUrl()}.
 */
public final class RuleEchoModel implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;

    private RuleEchoModel(HttpServer server) {
        this.server = server;
    }

    public static RuleEchoModel start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", ex -> {
            JsonNode req = MAPPER.readTree(ex.getRequestBody());
            String system = "";
            for (JsonNode m : req.path("messages")) if (m.path("role").asText().equals("system")) system = m.path("content").asText();
            List<String> rules = system.lines().filter(l -> l.contains("RULE:"))
                    .map(l -> l.substring(l.indexOf("RULE:") + 5).strip()).toList();
            String text = JsonNodeFactory.instance.textNode("rule: " + (rules.isEmpty() ? "none" : String.join("; ", rules))).toString();
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
        return new RuleEchoModel(server);
    }

    /** Asks workspace {@code ws} one question; its answer, or "" when the call failed. */
    public static String ask(Agents agents, String ws) {
        Http.Response r = agents.a2a(ws, Agents.send("How should you answer?"), agents.admin());
        return r.status() == 200 ? r.json().at("/result/parts/0/text").asText() : "";
    }

    /** How many times runtimes went through provisioning (a restart adds one). */
    public static long provisionings(Http http, Agents agents) {
        return http.get("/events", agents.admin()).json().findValuesAsText("event_type").stream()
                .filter("WORKSPACE_PROVISIONING"::equals).count();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
