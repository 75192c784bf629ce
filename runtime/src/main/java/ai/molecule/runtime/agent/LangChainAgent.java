package ai.molecule.runtime.agent;

import ai.molecule.runtime.model.ModelChain;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tool-calling loop: ask the model, run the tools it asks for, feed the results back, until it
 * answers in text (or a tool ends the turn with {@link TurnStopped}). Works with any LangChain4j model, the scripted one included.
 */
public final class LangChainAgent implements Agent {
    private final ModelChain models;
    private final String systemPrompt;
    private final ToolRunner tools;
    private final int maxToolIterations;

    /** @param maxToolIterations how many rounds of tool calls one turn may take before it fails */
    public LangChainAgent(ModelChain models, String systemPrompt, List<AgentTool> tools, int maxToolIterations) {
        if (maxToolIterations < 1) {
            throw new IllegalArgumentException("maxToolIterations must be at least 1, got " + maxToolIterations);
        }
        this.models = models;
        this.systemPrompt = systemPrompt;
        this.tools = new ToolRunner(tools == null ? List.of() : tools);
        this.maxToolIterations = maxToolIterations;
    }

    @Override
    public AgentReply respond(AgentTurn turn, Consumer<String> chunks) throws Exception {
        Consumer<String> sink = chunks == null ? text -> { } : chunks;
        List<ChatMessage> messages = openingMessages(turn);
        List<ToolSpecification> specifications = tools.specifications();
        List<AgentReply.ToolCall> trace = new ArrayList<>();
        FailoverModelCaller caller = new FailoverModelCaller(models);
        TokenUsage usage = null;
        for (int round = 0; ; round++) {
            checkInterrupted();
            ChatResponse response = caller.call(request(messages, specifications), sink);
            usage = TokenUsage.sum(usage, response.tokenUsage());
            AiMessage answer = response.aiMessage();
            if (!answer.hasToolExecutionRequests()) {
                return new AgentReply(answer.text() == null ? "" : answer.text(), List.copyOf(trace), toUsage(usage));
            }
            if (round == maxToolIterations) {
                throw new IllegalStateException("the model still asked for tools after " + maxToolIterations
                        + " rounds of tool calls; stopped (raise the tool iteration limit if this task needs more)");
            }
            messages.add(answer);
            for (ToolExecutionRequest call : answer.toolExecutionRequests()) {
                checkInterrupted();
                try {
                    messages.add(tools.run(call, trace));
                } catch (TurnStopped stop) {
                    return new AgentReply(stop.reply(), List.copyOf(trace), toUsage(usage));
                }
            }
        }
    }

    private List<ChatMessage> openingMessages(AgentTurn turn) {
        List<ChatMessage> messages = new ArrayList<>();
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            messages.add(SystemMessage.from(systemPrompt));
        }
        if (turn.history() != null) {
            for (AgentTurn.ChatTurn prior : turn.history()) {
                if (prior.text() == null || prior.text().isBlank()) {
                    continue; // providers reject empty messages
                }
                messages.add("user".equals(prior.role()) ? UserMessage.from(prior.text()) : AiMessage.from(prior.text()));
            }
        }
        messages.add(UserMessage.from(turn.text() == null || turn.text().isBlank() ? "(empty message)" : turn.text()));
        return messages;
    }

    private static ChatRequest request(List<ChatMessage> messages, List<ToolSpecification> specifications) {
        var builder = ChatRequest.builder().messages(List.copyOf(messages));
        if (!specifications.isEmpty()) {
            builder.toolSpecifications(specifications);
        }
        return builder.build();
    }

    private static AgentReply.Usage toUsage(TokenUsage usage) {
        if (usage == null) {
            return null;
        }
        return new AgentReply.Usage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
    }

    private static long orZero(Integer count) {
        return count == null ? 0 : count;
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("turn cancelled");
        }
    }
}
