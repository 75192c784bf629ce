package ai.molecule.runtime.a2a;

import java.util.Map;

/**
 * One message of a task as this server keeps it: text only (non-text parts are not kept),
 * rendered in either protocol generation by a {@link Wire}.
 */
record ChatMessage(String messageId, boolean fromAgent, String text, String taskId, String contextId,
                   Map<String, Object> metadata) {
}
