package ai.molecule.runtime.agent;

import java.util.List;

/**
 * The final answer of a turn.
 *
 * @param text      the reply text
 * @param toolTrace the tools called, in order ({@code result.metadata.tool_trace} upstream)
 * @param usage     tokens used, or null when the model did not say
 */
public record AgentReply(String text, List<ToolCall> toolTrace, Usage usage) {

    /** One tool call: input truncated to 500 chars, output preview to 300, as upstream. */
    public record ToolCall(String tool, String input, String outputPreview) {
    }

    public record Usage(long inputTokens, long outputTokens) {
    }
}
