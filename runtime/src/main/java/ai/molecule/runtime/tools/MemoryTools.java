package ai.molecule.runtime.tools;

import ai.molecule.runtime.platform.PlatformClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static ai.molecule.runtime.tools.WorkspaceTools.call;

/** commit_memory and recall_memory on the platform's scoped memory (LOCAL / TEAM / GLOBAL). */
final class MemoryTools {
    private static final List<String> SCOPES = List.of("LOCAL", "TEAM", "GLOBAL");

    private final PlatformClient platform;

    MemoryTools(PlatformClient platform) {
        this.platform = platform;
    }

    List<Tool> tools() {
        return List.of(
                new Tool("commit_memory", "Remember a fact for later. LOCAL: only you; TEAM: your parent, siblings "
                        + "and children; GLOBAL: everyone (root workspaces only).",
                        Tool.params().addStringProperty("content", "what to remember")
                                .addEnumProperty("scope", SCOPES, "who may read it; default LOCAL")
                                .required("content").build(),
                        a -> {
                            String content = a.required("content");
                            String scope = a.optional("scope", "LOCAL").toUpperCase(Locale.ROOT);
                            return call(() -> {
                                JsonNode r = platform.commitMemory(content, scope.isBlank() ? "LOCAL" : scope);
                                return "Saved memory " + r.path("id").asText() + " (" + r.path("scope").asText(scope) + ").";
                            });
                        }),
                new Tool("recall_memory", "Search your memories (and those your scope lets you read).",
                        Tool.params().addStringProperty("query", "words to look for; empty = all")
                                .addStringProperty("scope", "LOCAL, TEAM or GLOBAL; empty = all you can read").build(),
                        a -> call(() -> render(platform.recallMemory(a.optional("query", ""),
                                a.optional("scope", "").toUpperCase(Locale.ROOT))))));
    }

    private static String render(JsonNode rows) {
        List<String> lines = new ArrayList<>();
        for (JsonNode m : rows) {
            lines.add("[" + m.path("scope").asText() + "] " + m.path("content").asText() + " (" + m.path("id").asText() + ")");
        }
        return lines.isEmpty() ? "No memories found." : String.join("\n", lines);
    }
}
