package ai.molecule.runtime.model;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;

import java.util.Objects;

/**
 * One model the agent may think with.
 *
 * @param spec      the "provider:model" string it was built from, for logs and errors
 * @param chat      the blocking model
 * @param streaming the streaming variant of the same model, or null where the provider has none
 */
public record ModelCandidate(String spec, ChatModel chat, StreamingChatModel streaming) {
    public ModelCandidate {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(chat, "chat");
    }
}
