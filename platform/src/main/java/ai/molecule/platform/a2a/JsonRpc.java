package ai.molecule.platform.a2a;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/** Normalisation of proxied A2A bodies (spec §3.2 step 8). */
public final class JsonRpc {
    static final Set<String> STREAMING = Set.of("message/stream", "SendStreamingMessage", "tasks/resubscribe", "SubscribeToTask");

    private JsonRpc() {
    }

    /** Wraps a bare {method, params} in a JSON-RPC envelope and makes sure the message has an id. */
    static ObjectNode normalize(String body) {
        JsonNode parsed;
        try {
            parsed = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw ApiError.badRequest("invalid JSON");
        }
        if (!(parsed instanceof ObjectNode obj)) throw ApiError.badRequest("invalid JSON");
        ObjectNode rpc = obj;
        if (!obj.has("jsonrpc")) {
            rpc = Json.MAPPER.createObjectNode();
            rpc.put("jsonrpc", "2.0");
            rpc.put("id", Ids.timeOrdered().toString());
            rpc.set("method", obj.get("method"));
            rpc.set("params", obj.get("params"));
        }
        if (rpc.path("params").path("message") instanceof ObjectNode message && !message.hasNonNull("messageId")) {
            message.put("messageId", Ids.timeOrdered().toString());
        }
        return rpc;
    }

    /** A platform-originated {@code message/send} with one text part; {@link #message} reaches its message for metadata. */
    public static ObjectNode textMessage(String rpcId, String messageId, String text) {
        ObjectNode rpc = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", rpcId).put("method", "message/send");
        ObjectNode msg = rpc.putObject("params").putObject("message");
        msg.put("role", "user").put("messageId", messageId);
        msg.putArray("parts").addObject().put("kind", "text").put("text", text);
        return rpc;
    }

    static ObjectNode message(ObjectNode rpc) {
        return (ObjectNode) rpc.get("params").get("message");
    }

    static String method(ObjectNode rpc) {
        return rpc.path("method").asText("");
    }

    static String messageId(ObjectNode rpc) {
        JsonNode id = rpc.path("params").path("message").path("messageId");
        return id.isMissingNode() || id.isNull() ? null : id.asText();
    }

    /** The text an agent answered: result.parts text, else the first artifact's text, else the raw body. */
    public static String replyText(String responseBody) {
        JsonNode r;
        try {
            r = Json.MAPPER.readTree(responseBody).path("result");
        } catch (Exception e) {
            return responseBody;
        }
        String t = firstText(r.path("parts"));
        if (t == null) t = firstText(r.path("status").path("message").path("parts"));
        if (t == null) {
            for (JsonNode a : r.path("artifacts")) {
                t = firstText(a.path("parts"));
                if (t != null) break;
            }
        }
        if (t == null) t = firstText(r.path("message").path("parts"));
        return t == null ? responseBody : t;
    }

    private static String firstText(JsonNode parts) {
        for (JsonNode p : parts) {
            if (p.hasNonNull("text")) return p.get("text").asText();
        }
        return null;
    }
}
