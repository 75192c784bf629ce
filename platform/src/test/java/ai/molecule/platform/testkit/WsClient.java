package ai.molecule.platform.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real WebSocket client (JDK) that records every text frame it receives. */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    private WsClient(String url, String... headers) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        this.socket = b.buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        frames.add(MAPPER.readTree(partial.toString()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).join();
    }

    /** Connects to {@code base}/ws (base is http://host:port). */
    /**
     * Without {@code X-Workspace-ID} or {@code Origin} it connects as the canvas served by the
     * platform itself (Origin = the platform's own), which receives every event.
     */
    public static WsClient connect(String base, String... headers) {
        List<String> h = new java.util.ArrayList<>(List.of(headers));
        boolean named = false;
        for (int i = 0; i < headers.length; i += 2) {
            named |= headers[i].equalsIgnoreCase("X-Workspace-ID") || headers[i].equalsIgnoreCase("Origin");
        }
        if (!named) h.addAll(List.of("Origin", base));
        return new WsClient(base.replaceFirst("^http", "ws") + "/ws", h.toArray(String[]::new));
    }

    public List<JsonNode> frames() {
        return new ArrayList<>(frames);
    }

    /** Event names received so far, optionally only those about one workspace. */
    public List<String> events(String workspaceId) {
        return frames.stream()
                .filter(f -> workspaceId == null || workspaceId.equals(f.path("workspace_id").asText()))
                .map(f -> f.path("event").asText()).toList();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
