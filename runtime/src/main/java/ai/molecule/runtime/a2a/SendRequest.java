package ai.molecule.runtime.a2a;

import ai.molecule.runtime.agent.AgentTurn.ChatTurn;
import ai.molecule.runtime.files.FileRef;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The params of a send, in either generation's shape: parts {@code {"kind":"text"}},
 * {@code {"type":"text"}} (the original platform) or {@code {"text"}} (1.0); file parts
 * {@code {"kind":"file","file":{uri,name,mimeType}}} (0.3, and without {@code kind} as a2a-java
 * Alpha3 sends them) or {@code {url,filename,mediaType}} (1.0); roles {@code user}/{@code agent} or
 * {@code ROLE_USER}/{@code ROLE_AGENT}.
 *
 * @param messageId the caller's message id (generated if missing)
 * @param contextId the message's context, or a new one
 * @param text      all text parts joined by newlines
 * @param files     the file parts that name a file by uri, as sent (inline bytes are not taken)
 * @param history   {@code params.metadata.history}, oldest first
 * @param metadata  message metadata, then params metadata over it
 * @param waitForResult whether the caller waits for the final result
 */
record SendRequest(String messageId, String contextId, String text, List<FileRef> files, List<ChatTurn> history,
                   Map<String, Object> metadata, boolean waitForResult) {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    static SendRequest parse(JsonNode params) throws RpcException {
        JsonNode message = params.get("message");
        if (message == null || !message.isObject()) {
            throw RpcException.invalidParams("params.message must be an object");
        }
        String role = message.path("role").asText("user");
        if (!isUser(role) && !isAgent(role)) {
            throw RpcException.invalidParams("message.role must be \"user\" or \"agent\"");
        }
        JsonNode parts = message.get("parts");
        if (parts == null || !parts.isArray() || parts.isEmpty()) {
            throw RpcException.invalidParams("message.parts must be a non-empty array");
        }
        String text = joinText(parts);
        JsonNode meta = params.path("metadata");
        Map<String, Object> metadata = new LinkedHashMap<>(object(message.get("metadata"), "message.metadata"));
        metadata.putAll(object(meta, "params.metadata"));
        return new SendRequest(textOr(message.get("messageId"), UUID.randomUUID().toString()),
                textOr(message.get("contextId"), UUID.randomUUID().toString()),
                text, files(parts), history(meta.get("history")), metadata, waits(params.path("configuration")));
    }

    /**
     * 1.0 says {@code returnImmediately} (default: wait); 0.3 says {@code blocking} (default: wait);
     * a2a-java Alpha3 clients send {@code blocking} under 1.0 names (G16b). Either field is honoured.
     */
    private static boolean waits(JsonNode configuration) {
        JsonNode returnImmediately = configuration.get("returnImmediately");
        if (returnImmediately != null && returnImmediately.isBoolean()) {
            return !returnImmediately.asBoolean();
        }
        JsonNode blocking = configuration.get("blocking");
        return blocking == null || !blocking.isBoolean() || blocking.asBoolean();
    }

    private static String joinText(JsonNode parts) throws RpcException {
        List<String> texts = new ArrayList<>();
        for (JsonNode part : parts) {
            if (!part.isObject()) {
                throw RpcException.invalidParams("message.parts must hold objects");
            }
            String text = partText(part);
            if (text != null) {
                texts.add(text);
            }
        }
        return String.join("\n", texts);
    }

    /** The text of a text part; null for file and data parts. */
    private static String partText(JsonNode part) {
        String kind = part.has("kind") ? part.path("kind").asText() : part.path("type").asText("text");
        JsonNode text = part.get("text");
        return "text".equals(kind) && text != null && text.isTextual() ? text.asText() : null;
    }

    /** The parts' files; parts were checked to be objects by {@link #joinText}. */
    private static List<FileRef> files(JsonNode parts) {
        List<FileRef> files = new ArrayList<>();
        for (JsonNode part : parts) {
            FileRef file = partFile(part);
            if (file != null) {
                files.add(file);
            }
        }
        return List.copyOf(files);
    }

    /** The file a part names by uri, in either generation's shape; null for text, data and inline bytes. */
    private static FileRef partFile(JsonNode part) {
        String kind = part.has("kind") ? part.path("kind").asText() : part.path("type").asText("file");
        if (!"file".equals(kind)) {
            return null;
        }
        JsonNode file = part.get("file");
        if (file != null && file.isObject()) {
            return fileRef(file.get("uri"), file.get("name"), file.get("mimeType"));
        }
        return fileRef(part.get("url"), part.get("filename"), part.get("mediaType"));
    }

    private static FileRef fileRef(JsonNode uri, JsonNode name, JsonNode mimeType) {
        return uri != null && uri.isTextual() && !uri.asText().isBlank()
                ? new FileRef(uri.asText(), textOr(name, null), textOr(mimeType, null)) : null;
    }

    private static List<ChatTurn> history(JsonNode history) throws RpcException {
        if (history == null || history.isNull()) {
            return List.of();
        }
        if (!history.isArray()) {
            throw RpcException.invalidParams("params.metadata.history must be an array");
        }
        List<ChatTurn> turns = new ArrayList<>();
        for (JsonNode turn : history) {
            JsonNode parts = turn.path("parts");
            String text = parts.isArray() ? joinText(parts) : "";
            if (!text.isEmpty()) {
                turns.add(new ChatTurn(isAgent(turn.path("role").asText()) ? "agent" : "user", text));
            }
        }
        return List.copyOf(turns);
    }

    private static Map<String, Object> object(JsonNode node, String name) throws RpcException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw RpcException.invalidParams(name + " must be an object");
        }
        return JsonRpc.MAPPER.convertValue(node, MAP);
    }

    private static boolean isUser(String role) {
        return role.equals("user") || role.equals("ROLE_USER");
    }

    private static boolean isAgent(String role) {
        return role.equals("agent") || role.equals("ROLE_AGENT") || role.equals("assistant");
    }

    private static String textOr(JsonNode node, String fallback) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : fallback;
    }
}
