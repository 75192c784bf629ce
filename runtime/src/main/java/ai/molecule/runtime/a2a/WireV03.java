package ai.molecule.runtime.a2a;

import ai.molecule.runtime.files.FileRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.a2a.spec.TaskState;

/** A2A 0.3: {@code kind} tags, {@code {"kind":"text"}} and {@code {"kind":"file","file":{…}}} parts, lower-case roles and states, {@code final} on status events. */
final class WireV03 extends Wire {

    @Override
    ObjectNode textPart(String text) {
        return JsonRpc.MAPPER.createObjectNode().put("kind", "text").put("text", text);
    }

    @Override
    ObjectNode filePart(FileRef file) {
        ObjectNode part = JsonRpc.MAPPER.createObjectNode().put("kind", "file");
        ObjectNode body = part.putObject("file").put("uri", file.uri());
        putIfPresent(body, "name", file.name());
        putIfPresent(body, "mimeType", file.mimeType());
        return part;
    }

    @Override
    String role(boolean agent) {
        return agent ? "agent" : "user";
    }

    @Override
    String state(TaskState state) {
        return state == TaskState.UNRECOGNIZED ? "unknown"
                : state.name().substring("TASK_STATE_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    ObjectNode tagged(ObjectNode node, String kind) {
        return node.put("kind", kind);
    }

    /** What the original returns: the final agent message ({@code result.parts[0].text}), else the task. */
    @Override
    JsonNode sendResult(TaskView task) {
        return task.reply() != null ? message(task.reply()) : task(task);
    }

    @Override
    JsonNode streamTask(TaskView task) {
        return task(task);
    }

    @Override
    boolean sendStreamOpensWithTask() {
        return false;
    }

    @Override
    JsonNode event(String taskId, String contextId, TaskEvent event) {
        return switch (event) {
            case TaskEvent.StatusChanged s -> statusUpdate(taskId, contextId, s).put("final", s.terminal());
            case TaskEvent.ArtifactChunk c -> artifactUpdate(taskId, contextId, c);
            case TaskEvent.Reply r -> message(r.message());
        };
    }
}
