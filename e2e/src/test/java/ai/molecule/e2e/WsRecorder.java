package ai.molecule.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A JDK WebSocket client on {@code /ws} that records every text frame, in arrival order. */
public final class WsRecorder implements AutoCloseable {
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    private WsRecorder(String url, String origin) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("Origin", origin)
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(Http.MAPPER.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException("not a JSON frame: " + partial, e);
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).join();
    }

    /** Connects as the canvas the platform serves (no X-Workspace-ID, its own Origin): receives every event. */
    public static WsRecorder connect(String base) {
        return new WsRecorder(base.replaceFirst("^http", "ws") + "/ws", base);
    }

    /** Every frame so far, in arrival order. */
    public List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    public List<JsonNode> frames(String workspaceId) {
        return frames.stream().filter(f -> workspaceId.equals(f.path("workspace_id").asText())).toList();
    }

    /** Event names about one workspace, in the order they arrived. */
    public List<String> events(String workspaceId) {
        return frames(workspaceId).stream().map(f -> f.path("event").asText()).toList();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, java.util.concurrent.TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
