package ai.molecule.runtime.agent;

import dev.langchain4j.agent.tool.ToolSpecification;

/** A tool the model may call: its schema, and what running it does. */
public interface AgentTool {
    ToolSpecification specification();

    /**
     * Runs the tool with the model's JSON arguments and returns the text the model sees.
     * Errors the model should read (e.g. the platform's error) are returned, not thrown.
     */
    String execute(String argumentsJson) throws Exception;
}
