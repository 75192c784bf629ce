package ai.molecule.platform.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenAI-compatible chat-completions server (model {@code openai-compatible:gated})
 * whose answers wait at a gate the test opens: a model that is "slow" exactly as long as the
 * test needs, without sleeps. Every reply is {@code slow: <latest user text>}, streamed as
 * SSE when asked ({@code "stream":true}), plain JSON otherwise.
 */
public final class GatedModel implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;
    private final Semaphore gate = new Semaphore(0);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile boolean open;

    public GatedModel() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    /** The value for OPENAI_COMPATIBLE_BASE_URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The latest user text of every request that arrived, answered or still waiting. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Lets {@code n} waiting (or future) requests through. */
    public void release(int n) {
        gate.release(n);
    }

    /** From now on nothing waits. */
    public void openGate() {
        open = true;
        gate.release(10_000);
    }

    private void complete(HttpExchange ex) throws IOException {
        JsonNode req = MAPPER.readTree(ex.getRequestBody());
        String input = latestUserText(req.path("messages"));
        received.add(input);
        try {
            if (!open) gate.tryAcquire(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text = "slow: " + input;
        boolean stream = req.path("stream").asBoolean(false);
        byte[] body = (stream ? sse(text) : json(text)).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
        try (OutputStream out = ex.getResponseBody()) {
            ex.sendResponseHeaders(200, body.length);
            out.write(body);
        } catch (IOException gone) {
            // the runtime gave up on this call (cancelled task, stopped runtime)
        }
    }

    private static String latestUserText(JsonNode messages) {
        String last = "";
        for (JsonNode m : messages) {
            if (!m.path("role").asText().equals("user")) continue;
            JsonNode c = m.path("content");
            if (c.isTextual()) {
                last = c.asText();
            } else {
                StringBuilder sb = new StringBuilder();
                for (JsonNode part : c) sb.append(part.path("text").asText(""));
                last = sb.toString();
            }
        }
        return last;
    }

    private static String quoted(String text) {
        return JsonNodeFactory.instance.textNode(text).toString();
    }

    private static String json(String text) {
        return """
                {"id":"c1","object":"chat.completion","created":1700000000,"model":"gated",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""".formatted(quoted(text));
    }

    private static String sse(String text) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
                + quoted(text) + "}}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n"
                + "data: [DONE]\n\n";
    }

    @Override
    public void close() {
        openGate();
        server.stop(0);
    }
}
