package ai.molecule.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.function.UnaryOperator;

/**
 * One scripted model turn: either a text {@code reply} or a {@code tool} call with {@code args}.
 * Both may hold the {@code {{input}}} and {@code {{tool_result}}} placeholders.
 */
record ScriptStep(String reply, String tool, JsonNode args) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ScriptStep parse(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("script " + where + " must be an object with reply: or tool:");
        }
        JsonNode reply = node.get("reply");
        JsonNode tool = node.get("tool");
        if ((reply == null) == (tool == null)) {
            throw new IllegalArgumentException("script " + where + " needs exactly one of reply: or tool:");
        }
        if (tool != null) {
            JsonNode args = node.get("args");
            if (args != null && !args.isObject()) {
                throw new IllegalArgumentException("script " + where + " args: must be an object");
            }
            return new ScriptStep(null, tool.asText(), args == null ? JsonNodeFactory.instance.objectNode() : args);
        }
        return new ScriptStep(reply.asText(), null, null);
    }

    boolean isToolCall() {
        return tool != null;
    }

    /** The tool arguments as JSON, placeholders filled inside string values so the JSON stays valid. */
    String argumentsJson(UnaryOperator<String> fill) {
        try {
            return JSON.writeValueAsString(fillStrings(args, fill));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write scripted tool arguments", e);
        }
    }

    private static JsonNode fillStrings(JsonNode node, UnaryOperator<String> fill) {
        if (node.isTextual()) {
            return TextNode.valueOf(fill.apply(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), fillStrings(e.getValue(), fill)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(fillStrings(item, fill)));
            return copy;
        }
        return node;
    }
}
