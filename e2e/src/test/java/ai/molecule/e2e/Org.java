package ai.molecule.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Building and talking to an org of agents on one running jar: workspaces, A2A messages, reply text. */
final class Org {
    private final Http http;

    Org(Http http) {
        this.http = http;
    }

    /** Creates a scripted workspace; {@code script} is the config's {@code script:} object (null = echo). */
    String scripted(String name, String parentId, JsonNode script) {
        ObjectNode body = Http.MAPPER.createObjectNode().put("name", name).put("model", "scripted");
        if (parentId != null) body.put("parent_id", parentId);
        if (script != null) body.putObject("config").set("script", script);
        Http.Response r = http.post("/workspaces", body.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    String status(String id) {
        return http.get("/workspaces/" + id).json().path("status").asText();
    }

    void awaitOnline(Collection<String> ids, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(ids.stream().map(this::status).toList()).as("statuses of " + ids).allMatch("online"::equals));
    }

    /**
     * The same org, calling as workspace {@code id}. Once any agent has registered, admin routes
     * (POST /workspaces) want a bearer; with no ADMIN_TOKEN any workspace token passes (spec §2.3 step 8).
     */
    Org authenticatedAs(String id) {
        return new Org(as(id));
    }

    /** A workspace-scoped client: the bearer minted by the test-token bootstrap. */
    Http as(String id) {
        Http.Response r = http.get("/admin/workspaces/" + id + "/test-token");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return http.withBearer(r.json().path("auth_token").asText());
    }

    /** The A2A 0.3 {@code message/send} a canvas or an agent sends. */
    static String messageSend(String text) {
        ObjectNode rpc = Http.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", "e2e-1").put("method", "message/send");
        ObjectNode message = rpc.putObject("params").putObject("message").put("role", "user");
        message.putArray("parts").addObject().put("kind", "text").put("text", text);
        return rpc.toString();
    }

    /** The text of a JSON-RPC response's result, a Message or a Task: artifacts, parts, else the status message. */
    static String replyText(JsonNode response) {
        JsonNode r = response.path("result");
        List<String> texts = new ArrayList<>();
        for (JsonNode a : r.path("artifacts")) texts.addAll(texts(a.path("parts")));
        texts.addAll(texts(r.path("parts")));
        if (texts.isEmpty()) texts.addAll(texts(r.path("status").path("message").path("parts")));
        return String.join("\n", texts);
    }

    private static List<String> texts(JsonNode parts) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : parts) if (p.path("text").isTextual()) out.add(p.get("text").asText());
        return out;
    }

    static JsonNode json(String text) {
        return Http.json(text);
    }
}
