package ai.molecule.runtime.platform;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of an A2A result, whichever shape the peer answered in: a Message or a Task
 * (0.3 {@code kind} style or 1.0 {@code {"message"|"task": …}} wrapper), text from
 * {@code parts}, {@code artifacts[].parts} and the task's status message.
 */
public final class ReplyText {
    private ReplyText() {
    }

    public static String of(JsonNode result) {
        JsonNode r = result.has("message") ? result.get("message") : result.has("task") ? result.get("task") : result;
        List<String> texts = new ArrayList<>();
        for (JsonNode artifact : r.path("artifacts")) collect(artifact.path("parts"), texts);
        collect(r.path("parts"), texts);
        if (texts.isEmpty()) collect(r.path("status").path("message").path("parts"), texts);
        return String.join("\n", texts);
    }

    private static void collect(JsonNode parts, List<String> out) {
        for (JsonNode p : parts) {
            JsonNode text = p.has("text") ? p.get("text") : p.path("root").path("text");
            if (text.isTextual() && !text.asText().isEmpty()) out.add(text.asText());
        }
    }
}
