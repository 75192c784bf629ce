package ai.molecule.runtime.agent;

import java.util.List;
import java.util.Map;

/**
 * One incoming message and its context.
 *
 * @param taskId    the A2A task id
 * @param contextId the A2A context (conversation) id
 * @param text      the user/caller text (all text parts joined)
 * @param history   prior turns from {@code params.metadata.history}, oldest first
 * @param metadata  the message/request metadata (delegation ids, channel info...)
 */
public record AgentTurn(String taskId, String contextId, String text, List<ChatTurn> history, Map<String, Object> metadata) {

    /** A prior turn: role "user" or "agent". */
    public record ChatTurn(String role, String text) {
    }
}
