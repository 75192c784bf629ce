package ai.molecule.runtime.model;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the scripted model reads from a request's messages. Everything it decides is a function
 * of these values alone, which is what makes it deterministic.
 *
 * @param input            the latest user message's text
 * @param toolResult       the latest tool result's text, "" when none
 * @param awaitingToolTurn true when the last message is a tool result the model must answer
 * @param modelReplies     the AI messages already in the conversation (prior agent turns and
 *                         this turn's tool-call requests): the script position
 * @param words            words in all messages, reported as input tokens
 */
record Conversation(String input, String toolResult, boolean awaitingToolTurn, int modelReplies, int words) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(input|tool_result)}}");

    static Conversation of(List<ChatMessage> messages) {
        String input = "";
        String toolResult = "";
        int modelReplies = 0;
        int words = 0;
        for (ChatMessage message : messages) {
            String text = textOf(message);
            words += wordCount(text);
            switch (message) {
                case UserMessage ignored -> input = text;
                case ToolExecutionResultMessage ignored -> toolResult = text;
                case AiMessage ignored -> modelReplies++;
                default -> { }
            }
        }
        boolean awaiting = !messages.isEmpty() && messages.getLast() instanceof ToolExecutionResultMessage;
        return new Conversation(input, toolResult, awaiting, modelReplies, words);
    }

    /** Fills placeholders in one pass, so placeholder-like text inside the input stays as it is. */
    String fill(String template) {
        return PLACEHOLDER.matcher(template).replaceAll(m ->
                Matcher.quoteReplacement("input".equals(m.group(1)) ? input : toolResult));
    }

    static int wordCount(String text) {
        String trimmed = text == null ? "" : text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static String textOf(ChatMessage message) {
        return switch (message) {
            case UserMessage user -> user.contents().stream()
                    .filter(TextContent.class::isInstance).map(c -> ((TextContent) c).text())
                    .collect(Collectors.joining("\n"));
            case ToolExecutionResultMessage result -> result.text() == null ? "" : result.text();
            case AiMessage ai -> ai.text() == null ? "" : ai.text();
            case SystemMessage system -> system.text();
            default -> "";
        };
    }
}
