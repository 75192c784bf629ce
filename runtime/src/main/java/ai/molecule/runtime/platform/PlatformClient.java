package ai.molecule.runtime.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The platform API as one workspace sees it. Every call carries the workspace's bearer
 * token and {@code X-Workspace-ID: <self>} (so proxied A2A is logged as agent-sent); a 401
 * re-reads the token file and retries once. Failures surface the platform's own
 * {@code {"error": …}} text as a {@link PlatformException}.
 */
public final class PlatformClient {
    private static final Logger log = LoggerFactory.getLogger(PlatformClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final UUID self;
    private final HttpClient http;
    private final TokenStore tokens;

    public PlatformClient(String platformUrl, UUID self, HttpClient http, TokenStore tokens) {
        this.base = platformUrl.endsWith("/") ? platformUrl.substring(0, platformUrl.length() - 1) : platformUrl;
        this.self = self;
        this.http = http;
        this.tokens = tokens;
    }

    public UUID self() {
        return self;
    }

    /** {@code POST /registry/register}; the token only the first registration returns is saved. */
    public JsonNode register(String url, JsonNode agentCard) throws PlatformException {
        ObjectNode body = JSON.createObjectNode().put("id", self.toString()).put("url", url);
        body.set("agent_card", agentCard);
        JsonNode reply = post("/registry/register", body, DEFAULT_TIMEOUT);
        String token = reply.path("auth_token").asText("");
        if (!token.isEmpty()) {
            try {
                tokens.save(token);
            } catch (IOException e) {
                log.error("workspace {}: cannot save the auth token ({}); it will be lost on restart", self, e.getMessage());
            }
        }
        return reply;
    }

    public void heartbeat(ObjectNode beat) throws PlatformException {
        post("/registry/heartbeat", beat, HEARTBEAT_TIMEOUT);
    }

    public void updateCard(JsonNode agentCard) throws PlatformException {
        ObjectNode body = JSON.createObjectNode().put("workspace_id", self.toString());
        body.set("agent_card", agentCard);
        post("/registry/update-card", body, DEFAULT_TIMEOUT);
    }

    public List<Peer> peers() throws PlatformException {
        JsonNode list = get("/registry/" + self + "/peers");
        if (!list.isArray()) throw new PlatformException(200, "platform answered peers with something other than a list");
        List<Peer> peers = new ArrayList<>();
        list.forEach(n -> peers.add(Peer.of(n)));
        return peers;
    }

    public JsonNode workspaceInfo() throws PlatformException {
        return get("/workspaces/" + self);
    }

    /** The platform instructions (global → team → workspace rules) as markdown. */
    public String instructions() throws PlatformException {
        return get("/workspaces/" + self + "/instructions/resolve").path("instructions").asText("");
    }

    /**
     * A {@code message/send} to {@code target} through the platform's proxy ({@code target}
     * may be this workspace). {@code timeout} also goes out as {@code X-Timeout}. A refusal by the
     * platform (403, 404, 503…) is thrown; the target's own JSON-RPC error comes back in the reply.
     */
    public A2aReply a2a(UUID target, String text, Duration timeout) throws PlatformException {
        Response r = send("POST", "/workspaces/" + target + "/a2a", messageSend(text), timeout,
                Map.of("X-Timeout", Long.toString(Math.max(1, timeout.toSeconds()))));
        if (r.status / 100 != 2) throw new PlatformException(r.status, errorText(r));
        return new A2aReply(r.status, r.body);
    }

    /** Async delegation: the platform runs it and records the result ({@code 202 {delegation_id}}). */
    public JsonNode delegate(UUID target, String task, String idempotencyKey) throws PlatformException {
        return post("/workspaces/" + self + "/delegate", JSON.createObjectNode().put("target_id", target.toString())
                .put("task", task).put("idempotency_key", idempotencyKey), DEFAULT_TIMEOUT);
    }

    public JsonNode delegations() throws PlatformException {
        return get("/workspaces/" + self + "/delegations");
    }

    /** A proactive chat message to the user ({@code type} may be null). */
    public JsonNode notifyUser(String message, String type) throws PlatformException {
        ObjectNode body = JSON.createObjectNode().put("message", message);
        if (type != null) body.put("type", type);
        return post("/workspaces/" + self + "/notify", body, DEFAULT_TIMEOUT);
    }

    public JsonNode commitMemory(String content, String scope) throws PlatformException {
        return post("/workspaces/" + self + "/memories",
                JSON.createObjectNode().put("content", content).put("scope", scope), DEFAULT_TIMEOUT);
    }

    public JsonNode recallMemory(String query, String scope) throws PlatformException {
        return get("/workspaces/" + self + "/memories?q=" + encode(query) + "&scope=" + encode(scope));
    }

    public JsonNode requestApproval(String action, String reason) throws PlatformException {
        return post("/workspaces/" + self + "/approvals",
                JSON.createObjectNode().put("action", action).put("reason", reason), DEFAULT_TIMEOUT);
    }

    public JsonNode approvals() throws PlatformException {
        return get("/workspaces/" + self + "/approvals");
    }

    /** An activity row ({@code activity_type}, {@code summary}, …) written as this workspace. */
    public JsonNode activity(ObjectNode row) throws PlatformException {
        return post("/workspaces/" + self + "/activity", row, DEFAULT_TIMEOUT);
    }

    private JsonNode get(String path) throws PlatformException {
        return ok(send("GET", path, null, DEFAULT_TIMEOUT, Map.of()));
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) throws PlatformException {
        return ok(send("POST", path, body, timeout, Map.of()));
    }

    private static JsonNode ok(Response r) throws PlatformException {
        if (r.status / 100 != 2) throw new PlatformException(r.status, errorText(r));
        return r.body;
    }

    private record Response(int status, JsonNode body, String raw) {
    }

    private Response send(String method, String path, JsonNode body, Duration timeout, Map<String, String> headers)
            throws PlatformException {
        Response r = exchange(method, path, body, timeout, headers);
        if (r.status == 401 && tokens.refresh()) {
            log.info("workspace {}: platform said 401; retrying with the token re-read from disk", self);
            r = exchange(method, path, body, timeout, headers);
        }
        return r;
    }

    private Response exchange(String method, String path, JsonNode body, Duration timeout, Map<String, String> headers)
            throws PlatformException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("X-Workspace-ID", self.toString()).header("Accept", "application/json");
        tokens.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        headers.forEach(b::header);
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        try {
            HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(res.statusCode(), parse(res.body()), res.body());
        } catch (HttpTimeoutException e) {
            throw new PlatformException(0, "platform did not answer " + method + " " + path + " within " + timeout.toSeconds() + "s");
        } catch (IOException e) {
            throw new PlatformException(0, "platform unreachable at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(0, "interrupted while calling the platform");
        }
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) return JSON.createObjectNode();
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String errorText(Response r) {
        JsonNode error = r.body.path("error");
        if (error.isTextual()) return error.asText();
        if (error.isObject()) return error.path("message").asText(error.toString());
        String raw = r.raw == null ? "" : r.raw.strip();
        return "platform answered HTTP " + r.status + (raw.isEmpty() ? "" : ": " + (raw.length() > 200 ? raw.substring(0, 200) : raw));
    }

    private static ObjectNode messageSend(String text) {
        ObjectNode rpc = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", UUID.randomUUID().toString())
                .put("method", "message/send");
        ObjectNode message = rpc.putObject("params").putObject("message")
                .put("role", "user").put("messageId", UUID.randomUUID().toString());
        message.putArray("parts").addObject().put("kind", "text").put("text", text);
        return rpc;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
