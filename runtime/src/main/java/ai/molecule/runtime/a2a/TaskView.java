package ai.molecule.runtime.a2a;

import io.a2a.spec.TaskState;

import java.time.Instant;
import java.util.List;

/**
 * A consistent snapshot of one task, for rendering.
 *
 * @param artifactText  the reply text as the turn's artifact, once completed; null before
 * @param reply         the final agent message (completed or failed), also the terminal status's message; or null
 * @param history       the caller's message, then the reply if there is one
 */
record TaskView(String id, String contextId, TaskState state, Instant timestamp, String artifactId,
                String artifactText, ChatMessage reply, List<ChatMessage> history) {
}
