package ai.molecule.platform.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Workspaces with real runtimes behind them, driven over the platform's HTTP API with the
 * admin token: create and wait until online, read the token a runtime keeps, list activity,
 * and build A2A bodies.
 */
public final class Agents {
    public static final Duration ONLINE = Duration.ofSeconds(30);

    private final TestPlatform platform;
    private final Http http;
    private final String admin;

    public Agents(TestPlatform platform, String adminToken) {
        this.platform = platform;
        this.http = platform.http();
        this.admin = adminToken;
    }

    public String[] admin() {
        return new String[]{"Authorization", Http.bearer(admin)};
    }

    public String create(String json) {
        return platform.createWorkspace(json, admin());
    }

    /** Creates the workspace and waits until its runtime registered. */
    public String online(String json) {
        String id = create(json);
        awaitStatus(id, "online");
        return id;
    }

    public String status(String id) {
        return workspace(id).path("status").asText();
    }

    public JsonNode workspace(String id) {
        return http.get("/workspaces/" + id, admin()).json();
    }

    /** The full record as GET /workspaces lists it (with last_sample_error, spend, budget). */
    public JsonNode listed(String id) {
        for (JsonNode w : http.get("/workspaces", admin()).json()) {
            if (w.path("id").asText().equals(id)) return w;
        }
        throw new AssertionError(id + " not in GET /workspaces");
    }

    public void awaitStatus(String id, String status) {
        await().atMost(ONLINE).until(() -> status(id).equals(status));
    }

    /** The bearer token the runtime keeps in {@code <MOLECULE_HOME>/workspaces/<id>/.auth_token}. */
    public String token(String id) {
        Path file = tokenFile(id);
        await().atMost(ONLINE).until(() -> Files.exists(file));
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path tokenFile(String id) {
        return platform.home().resolve("workspaces").resolve(id).resolve(".auth_token");
    }

    /** The workspace's activity rows of one type, newest first. */
    public List<JsonNode> activity(String id, String type) {
        Http.Response r = http.get("/workspaces/" + id + "/activity?type=" + type, admin());
        if (r.status() != 200) throw new AssertionError("activity: " + r);
        List<JsonNode> rows = new ArrayList<>();
        r.json().forEach(rows::add);
        return rows;
    }

    public Http.Response a2a(String target, String body, String... headers) {
        return http.post("/workspaces/" + target + "/a2a", body, headers);
    }

    /** As a workspace caller: X-Workspace-ID plus its bearer token. */
    public Http.Response a2aFrom(String caller, String target, String body) {
        return a2a(target, body, "X-Workspace-ID", caller, "Authorization", Http.bearer(token(caller)));
    }

    /** A bare 0.3 body (no jsonrpc, no messageId): the proxy wraps it. */
    public static String send(String text) {
        return "{\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":"
                + quoted(text) + "}]}}}";
    }

    /** A bare 0.3 body with an explicit messageId. */
    public static String send(String text, String messageId) {
        return "{\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\",\"messageId\":" + quoted(messageId)
                + ",\"parts\":[{\"kind\":\"text\",\"text\":" + quoted(text) + "}]}}}";
    }

    /** A full JSON-RPC 2.0 request. */
    public static String rpc(String method, String paramsJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}";
    }

    /** 1.0 message params: {@code {"message":{"role":"ROLE_USER",...}}} plus extra fields. */
    public static String message10(String text, String extra) {
        return "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"" + java.util.UUID.randomUUID()
                + "\",\"parts\":[{\"text\":" + quoted(text) + "}]}" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    public static String quoted(String s) {
        return JsonNodeFactory.instance.textNode(s).toString();
    }
}
