package ai.molecule.runtime.a2a;

import ai.molecule.runtime.files.FileRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.a2a.spec.TaskState;

/**
 * A2A 1.0 (proto JSON): {@code {"text"}} and {@code {"url","filename","mediaType"}} parts, {@code ROLE_*} and {@code TASK_STATE_*} enums,
 * results wrapped as {@code {"task"}} / {@code {"statusUpdate"}} / {@code {"artifactUpdate"}}.
 * Status events carry no {@code final}: a 1.0 stream ends after the terminal status.
 */
final class WireV10 extends Wire {

    @Override
    ObjectNode textPart(String text) {
        return JsonRpc.MAPPER.createObjectNode().put("text", text);
    }

    @Override
    ObjectNode filePart(FileRef file) {
        ObjectNode part = JsonRpc.MAPPER.createObjectNode().put("url", file.uri());
        putIfPresent(part, "filename", file.name());
        putIfPresent(part, "mediaType", file.mimeType());
        return part;
    }

    @Override
    String role(boolean agent) {
        return agent ? "ROLE_AGENT" : "ROLE_USER";
    }

    @Override
    String state(TaskState state) {
        return state == TaskState.UNRECOGNIZED ? "TASK_STATE_UNSPECIFIED" : state.name();
    }

    @Override
    ObjectNode tagged(ObjectNode node, String kind) {
        return node;
    }

    @Override
    JsonNode sendResult(TaskView task) {
        return wrap("task", task(task));
    }

    @Override
    JsonNode streamTask(TaskView task) {
        return wrap("task", task(task));
    }

    @Override
    boolean sendStreamOpensWithTask() {
        return true;
    }

    /** The final message travels in the terminal status; a bare message is not part of a 1.0 task stream. */
    @Override
    JsonNode event(String taskId, String contextId, TaskEvent event) {
        return switch (event) {
            case TaskEvent.StatusChanged s -> wrap("statusUpdate", statusUpdate(taskId, contextId, s));
            case TaskEvent.ArtifactChunk c -> wrap("artifactUpdate", artifactUpdate(taskId, contextId, c));
            case TaskEvent.Reply r -> null;
        };
    }

    private static ObjectNode wrap(String field, JsonNode value) {
        ObjectNode node = JsonRpc.MAPPER.createObjectNode();
        node.set(field, value);
        return node;
    }
}
