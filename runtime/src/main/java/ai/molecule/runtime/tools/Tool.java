package ai.molecule.runtime.tools;

import ai.molecule.runtime.agent.AgentTool;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

/** A built-in tool: its specification and a function of the parsed arguments. */
final class Tool implements AgentTool {
    static final ObjectMapper JSON = new ObjectMapper();

    /** What the tool does with the model's arguments; the returned text is what the model reads. */
    interface Body {
        String run(Args args) throws Exception;
    }

    /** The model's arguments; a missing required one becomes an error text for the model. */
    record Args(JsonNode node) {
        String required(String key) {
            String v = optional(key, "");
            if (v.isBlank()) throw new BadArguments("'" + key + "' is required");
            return v;
        }

        String optional(String key, String fallback) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? fallback : v.isValueNode() ? v.asText() : v.toString();
        }
    }

    private static final class BadArguments extends RuntimeException {
        BadArguments(String message) {
            super(message, null, false, false);
        }
    }

    private final ToolSpecification spec;
    private final Body body;

    Tool(String name, String description, JsonObjectSchema parameters, Body body) {
        this.spec = ToolSpecification.builder().name(name).description(description).parameters(parameters).build();
        this.body = body;
    }

    @Override
    public ToolSpecification specification() {
        return spec;
    }

    @Override
    public String execute(String argumentsJson) throws Exception {
        JsonNode node;
        try {
            node = argumentsJson == null || argumentsJson.isBlank() ? JSON.createObjectNode() : JSON.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            return "Error: " + spec.name() + " arguments are not valid JSON";
        }
        if (!node.isObject()) return "Error: " + spec.name() + " arguments must be a JSON object";
        try {
            return body.run(new Args(node));
        } catch (BadArguments e) {
            return "Error: " + spec.name() + ": " + e.getMessage();
        }
    }

    static JsonObjectSchema.Builder params() {
        return JsonObjectSchema.builder();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
