package ai.molecule.runtime.a2a;

import ai.molecule.runtime.files.FileRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.a2a.spec.TaskState;

import java.util.List;

/**
 * How tasks, messages and stream events look on the wire in one A2A generation. The
 * shared skeleton is here; {@link WireV03} and {@link WireV10} differ in part shape,
 * enum spelling, {@code kind} tags and result wrappers.
 */
abstract sealed class Wire permits WireV03, WireV10 {
    static final Wire V0_3 = new WireV03();
    static final Wire V1_0 = new WireV10();

    abstract ObjectNode textPart(String text);

    abstract ObjectNode filePart(FileRef file);

    abstract String role(boolean agent);

    abstract String state(TaskState state);

    /** Adds the generation's type tag (0.3 {@code kind}); 1.0 has none. */
    abstract ObjectNode tagged(ObjectNode node, String kind);

    /** The result of a send: 0.3 answers the final message when there is one, 1.0 wraps the task. */
    abstract JsonNode sendResult(TaskView task);

    /** The first item of a stream that opens with the task (1.0 always; both on resubscribe). */
    abstract JsonNode streamTask(TaskView task);

    /** Whether a {@code SendStreamingMessage} stream opens with the task (1.0) or with the working status (0.3). */
    abstract boolean sendStreamOpensWithTask();

    /** One stream event as a JSON-RPC result, or null if this generation does not send it. */
    abstract JsonNode event(String taskId, String contextId, TaskEvent event);

    ObjectNode message(ChatMessage m) {
        ObjectNode node = tagged(JsonRpc.MAPPER.createObjectNode(), "message")
                .put("messageId", m.messageId())
                .put("role", role(m.fromAgent()));
        ArrayNode parts = node.putArray("parts").add(textPart(m.text()));
        m.files().forEach(f -> parts.add(filePart(f)));
        putIfPresent(node, "taskId", m.taskId());
        putIfPresent(node, "contextId", m.contextId());
        if (m.metadata() != null && !m.metadata().isEmpty()) {
            node.set("metadata", JsonRpc.MAPPER.valueToTree(m.metadata()));
        }
        return node;
    }

    ObjectNode status(TaskState state, ChatMessage message, java.time.Instant timestamp) {
        ObjectNode node = JsonRpc.MAPPER.createObjectNode().put("state", state(state));
        if (message != null) {
            node.set("message", message(message));
        }
        return node.put("timestamp", timestamp.toString());
    }

    /**
     * @param historyLength at most this many most recent messages, or null for all
     */
    ObjectNode task(TaskView t, Integer historyLength, boolean includeArtifacts) {
        ObjectNode node = tagged(JsonRpc.MAPPER.createObjectNode(), "task")
                .put("id", t.id())
                .put("contextId", t.contextId());
        node.set("status", status(t.state(), t.reply(), t.timestamp()));
        if (includeArtifacts && t.artifactText() != null) {
            ObjectNode artifact = node.putArray("artifacts").addObject()
                    .put("artifactId", t.artifactId()).put("name", "response");
            artifact.putArray("parts").add(textPart(t.artifactText()));
        }
        List<ChatMessage> history = t.history();
        if (historyLength != null) {
            history = history.subList(Math.max(0, history.size() - historyLength), history.size());
        }
        ArrayNode messages = node.putArray("history");
        history.forEach(m -> messages.add(message(m)));
        return node;
    }

    ObjectNode task(TaskView t) {
        return task(t, null, true);
    }

    ObjectNode artifactUpdate(String taskId, String contextId, TaskEvent.ArtifactChunk chunk) {
        ObjectNode node = tagged(JsonRpc.MAPPER.createObjectNode(), "artifact-update")
                .put("taskId", taskId).put("contextId", contextId);
        ObjectNode artifact = node.putObject("artifact").put("artifactId", chunk.artifactId()).put("name", "response");
        artifact.putArray("parts").add(textPart(chunk.text()));
        return node.put("append", chunk.append()).put("lastChunk", false);
    }

    ObjectNode statusUpdate(String taskId, String contextId, TaskEvent.StatusChanged change) {
        ObjectNode node = tagged(JsonRpc.MAPPER.createObjectNode(), "status-update")
                .put("taskId", taskId).put("contextId", contextId);
        node.set("status", status(change.state(), change.message(), java.time.Instant.now()));
        return node;
    }

    /** A ListTasks page (1.0 field names; 0.3 had no such method). */
    ObjectNode taskList(List<ObjectNode> tasks, String nextPageToken, int pageSize, int totalSize) {
        ObjectNode node = JsonRpc.MAPPER.createObjectNode();
        node.putArray("tasks").addAll(tasks);
        return node.put("nextPageToken", nextPageToken).put("pageSize", pageSize).put("totalSize", totalSize);
    }

    /** A state filter as either generation spells it ("TASK_STATE_WORKING" or "working"), or null. */
    static TaskState parseState(String name) {
        for (TaskState s : TaskState.values()) {
            if (s.name().equals(name) || V0_3.state(s).equals(name)) {
                return s;
            }
        }
        return null;
    }

    static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
