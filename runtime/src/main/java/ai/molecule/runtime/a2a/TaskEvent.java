package ai.molecule.runtime.a2a;

import io.a2a.spec.TaskState;

/** What a running task tells its stream subscribers, in order. */
sealed interface TaskEvent {
    /** The task moved to {@code state}; a terminal state ends every stream. */
    record StatusChanged(TaskState state, ChatMessage message) implements TaskEvent {
        boolean terminal() {
            return state.isFinal();
        }
    }

    /** One streamed text chunk of the turn's artifact. */
    record ArtifactChunk(String artifactId, String text, boolean append) implements TaskEvent {
    }

    /** The final agent message, sent just before the terminal status. */
    record Reply(ChatMessage message) implements TaskEvent {
    }
}
