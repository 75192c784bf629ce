package ai.molecule.runtime.model;

import ai.molecule.runtime.agent.AgentTool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tool for tests: answers with a fixed prefix and its arguments, and remembers every call. */
public final class EchoTool implements AgentTool {
    private final String name;
    private final String prefix;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    public EchoTool(String name, String prefix) {
        this.name = name;
        this.prefix = prefix;
    }

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name(name)
                .description("answers with its arguments")
                .parameters(JsonObjectSchema.builder().addStringProperty("q", "what to look up").build())
                .build();
    }

    @Override
    public String execute(String argumentsJson) {
        calls.add(argumentsJson);
        return prefix + argumentsJson;
    }

    public List<String> calls() {
        return calls;
    }
}
