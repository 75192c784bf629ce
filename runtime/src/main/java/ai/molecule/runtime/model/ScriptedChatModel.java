package ai.molecule.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real LangChain4j model that replays a script, for offline tests and demos.
 *
 * <p>How a reply is chosen, from the request's messages only (no state is kept, so the same
 * conversation always gets the same answer and concurrent conversations cannot interfere):
 * <ol>
 *   <li>No script: {@code echo: <latest user text>}.</li>
 *   <li>When the latest message is the user's, the first {@code rules} entry whose {@code match}
 *       regex finds the latest user text answers.</li>
 *   <li>Otherwise {@code steps[n]}, where n is the number of AI messages already in the
 *       conversation (prior agent turns in the history, and this turn's tool calls); past the
 *       end the last step repeats. So after a tool call comes back the next step follows.</li>
 *   <li>No step left to take: the tool result after a tool call, else the echo.</li>
 * </ol>
 * Token usage is word counts: all message words in, reply (or tool arguments) words out.
 */
public final class ScriptedChatModel implements ChatModel, StreamingChatModel {
    private final Script script;

    /** @param script the {@code script:} block of config.yaml; null or empty means echo */
    public ScriptedChatModel(JsonNode script) {
        this.script = Script.parse(script);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        Conversation conversation = Conversation.of(request.messages());
        ScriptStep step = choose(conversation);
        AiMessage message = step.isToolCall()
                ? AiMessage.from(ToolExecutionRequest.builder()
                        .id("scripted-call-" + conversation.modelReplies())
                        .name(step.tool())
                        .arguments(step.argumentsJson(conversation::fill))
                        .build())
                : AiMessage.from(conversation.fill(step.reply()));
        String produced = step.isToolCall() ? message.toolExecutionRequests().getFirst().arguments() : message.text();
        return ChatResponse.builder()
                .aiMessage(message)
                .modelName("scripted")
                .finishReason(step.isToolCall() ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
                .tokenUsage(new TokenUsage(conversation.words(), Conversation.wordCount(produced)))
                .build();
    }

    /** Streams the reply word by word (each chunk keeps its trailing space); tool calls arrive whole. */
    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        ChatResponse response;
        try {
            response = doChat(request);
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        String text = response.aiMessage().text();
        if (text != null && !text.isEmpty()) {
            AtomicBoolean cancelled = new AtomicBoolean();
            var context = new PartialResponseContext(new CancelFlag(cancelled));
            for (String word : text.split("(?<=\\s)(?=\\S)")) {
                if (cancelled.get()) {
                    return;
                }
                handler.onPartialResponse(new PartialResponse(word), context);
            }
        }
        handler.onCompleteResponse(response);
    }

    // ChatModel and StreamingChatModel both default these; the plain ones apply to both sides.
    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return ChatModel.super.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return List.of();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of();
    }

    private ScriptStep choose(Conversation conversation) {
        String echo = "echo: {{input}}";
        if (script.isEmpty()) {
            return new ScriptStep(echo, null, null);
        }
        if (!conversation.awaitingToolTurn()) {
            for (Script.Rule rule : script.rules()) {
                if (rule.matches(conversation.input())) {
                    return rule.step();
                }
            }
        }
        if (!script.steps().isEmpty()) {
            int position = Math.min(conversation.modelReplies(), script.steps().size() - 1);
            return script.steps().get(position);
        }
        return new ScriptStep(conversation.awaitingToolTurn() ? "{{tool_result}}" : echo, null, null);
    }

    private record CancelFlag(AtomicBoolean flag) implements StreamingHandle {
        @Override
        public void cancel() {
            flag.set(true);
        }

        @Override
        public boolean isCancelled() {
            return flag.get();
        }
    }
}
