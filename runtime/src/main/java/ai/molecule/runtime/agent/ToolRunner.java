package ai.molecule.runtime.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the tool calls a model asks for; whatever goes wrong becomes text the model reads. */
final class ToolRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ToolRunner.class);
    private static final int TRACE_INPUT_CHARS = 500;
    private static final int TRACE_OUTPUT_CHARS = 300;

    private final Map<String, AgentTool> tools = new LinkedHashMap<>();

    ToolRunner(List<AgentTool> tools) {
        for (AgentTool tool : tools) {
            String name = tool.specification().name();
            if (this.tools.putIfAbsent(name, tool) != null) {
                throw new IllegalArgumentException("two tools are named " + name);
            }
        }
    }

    List<ToolSpecification> specifications() {
        return tools.values().stream().map(AgentTool::specification).toList();
    }

    /**
     * Runs one call, records it in {@code trace}, and returns the result message for the model;
     * a tool that ends the turn is recorded too, then its {@link TurnStopped} propagates.
     */
    ToolExecutionResultMessage run(ToolExecutionRequest request, List<AgentReply.ToolCall> trace)
            throws InterruptedException, TurnStopped {
        String arguments = request.arguments() == null || request.arguments().isBlank() ? "{}" : request.arguments();
        String output;
        try {
            output = execute(request.name(), arguments);
        } catch (TurnStopped stop) {
            trace.add(traced(request.name(), arguments, stop.reply()));
            throw stop;
        }
        trace.add(traced(request.name(), arguments, output));
        return ToolExecutionResultMessage.from(request, output);
    }

    private static AgentReply.ToolCall traced(String name, String arguments, String output) {
        return new AgentReply.ToolCall(name, truncate(arguments, TRACE_INPUT_CHARS), truncate(output, TRACE_OUTPUT_CHARS));
    }

    private String execute(String name, String arguments) throws InterruptedException, TurnStopped {
        AgentTool tool = tools.get(name);
        if (tool == null) {
            return "Error: unknown tool '" + name + "'. Available tools: " + String.join(", ", new ArrayList<>(tools.keySet()));
        }
        try {
            String output = tool.execute(arguments);
            return output == null ? "" : output;
        } catch (InterruptedException | TurnStopped e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("tool {} failed", name, e);
            return "Error: tool " + name + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
