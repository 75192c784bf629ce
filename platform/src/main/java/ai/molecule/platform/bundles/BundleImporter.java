package ai.molecule.platform.bundles;

import ai.molecule.platform.files.FileTrees;
import ai.molecule.platform.files.SafePaths;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.provisioner.WorkspaceFiles;
import ai.molecule.platform.workspace.WorkspaceCreator;
import ai.molecule.platform.yaml.SafeYaml;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /bundles/import}: the bundle's tree as new workspaces (always new ids; the
 * bundle's id kept as {@code source_bundle_id}) in one transaction with their config,
 * memories, schedules and files; runtimes start after the commit. Secrets are not in a
 * bundle: the response lists the names each workspace needs.
 */
public final class BundleImporter {
    private final Jdbi jdbi;
    private final WorkspaceCreator creator;
    private final WorkspaceFiles configDirs;

    public BundleImporter(Jdbi jdbi, WorkspaceCreator creator, WorkspaceFiles configDirs) {
        this.jdbi = jdbi;
        this.creator = creator;
        this.configDirs = configDirs;
    }

    /** @param parentId where the imported root goes (null: a new root); @param name a new name for the root, or null */
    public Map<String, Object> importBundle(JsonNode bundle, UUID parentId, String name, String platformUrl) {
        int[] count = {0, 0};
        check(bundle, count);
        List<Path> dirs = new ArrayList<>();
        List<WorkspaceCreator.Pending> pending = new ArrayList<>();
        Map<String, Object> result;
        try {
            result = jdbi.inTransaction(h -> make(h, bundle, parentId, name, dirs, pending));
        } catch (RuntimeException e) {
            dirs.forEach(FileTrees::delete);
            throw e;
        }
        creator.announceLater(pending, platformUrl);
        return result;
    }

    private Map<String, Object> make(Handle h, JsonNode b, UUID parentId, String name, List<Path> dirs, List<WorkspaceCreator.Pending> pending) {
        ObjectNode config = config(b);
        String model = config.path("model").asText(b.path("model").asText(""));
        if (!model.isEmpty()) config.put("model", model);
        List<WorkspaceCreator.Memory> memories = new ArrayList<>();
        b.path("memories").forEach(m -> memories.add(new WorkspaceCreator.Memory(m.path("content").asText(),
                m.path("scope").asText("LOCAL").toUpperCase(Locale.ROOT))));
        String role = b.path("description").asText("");
        WorkspaceCreator.NewWorkspace n = new WorkspaceCreator.NewWorkspace(name != null ? name : b.get("name").asText(),
                role.isEmpty() ? null : role, null, b.path("tier").asInt(2), model.isEmpty() ? null : model,
                b.path("runtime").asText("langgraph"), false, null, null, "none", parentId, null, Map.of(),
                Math.max(1, b.path("max_concurrent_tasks").asInt(1)), 0, 0, memories, config);
        WorkspaceCreator.Inserted inserted = creator.insert(h, n);
        UUID id = inserted.id();
        dirs.add(configDirs.dir(id));
        h.createUpdate("UPDATE workspaces SET source_bundle_id = :b WHERE id = :id")
                .bind("b", b.path("id").asText(null)).bind("id", id).execute();
        for (JsonNode s : b.path("schedules")) {
            h.createUpdate("""
                            INSERT INTO workspace_schedules (workspace_id, name, cron_expr, timezone, prompt, enabled, source)
                            VALUES (:ws, :name, :cron, :tz, :prompt, :enabled, :source)""")
                    .bind("ws", id).bind("name", s.path("name").asText("")).bind("cron", s.path("cron_expr").asText())
                    .bind("tz", s.path("timezone").asText("UTC")).bind("prompt", s.path("prompt").asText())
                    .bind("enabled", s.path("enabled").asBoolean(true))
                    .bind("source", "template".equals(s.path("source").asText()) ? "template" : "runtime").execute();
        }
        writeFiles(id, b);
        pending.add(new WorkspaceCreator.Pending(inserted, n));
        List<Map<String, Object>> children = new ArrayList<>();
        for (JsonNode sub : b.path("sub_workspaces")) children.add(make(h, sub, id, null, dirs, pending));
        Map<String, Object> response = new LinkedHashMap<>(JsonMap.of("workspace_id", id.toString(), "name", n.name(),
                "status", "provisioning"));
        List<String> secrets = new ArrayList<>();
        b.path("required_secrets").forEach(s -> secrets.add(s.asText()));
        if (!secrets.isEmpty()) response.put("required_secrets", secrets);
        if (!children.isEmpty()) response.put("children", children);
        return response;
    }

    /** The stored config: ours as JSON, else upstream's {@code prompts["config.yaml"]}. */
    private static ObjectNode config(JsonNode b) {
        if (b.get("config") instanceof ObjectNode c) return c.deepCopy();
        String yaml = b.path("prompts").path("config.yaml").asText("");
        if (yaml.isEmpty()) return Json.MAPPER.createObjectNode();
        try {
            ObjectNode c = SafeYaml.parseObject(yaml, "config.yaml");
            c.remove(List.of("name", "role", "tier", "runtime"));
            return c;
        } catch (SafeYaml.Invalid e) {
            throw invalid("config.yaml: " + e.getMessage());
        }
    }

    private void writeFiles(UUID id, JsonNode b) {
        Path dir = configDirs.dir(id);
        var prompts = b.path("prompts").fields();
        while (prompts.hasNext()) {
            var f = prompts.next();
            if (!f.getKey().equals("config.yaml")) write(dir, f.getKey(), f.getValue().asText());
        }
        for (JsonNode skill : b.path("skills")) {
            String skillId = skill.path("id").asText();
            var files = skill.path("files").fields();
            while (files.hasNext()) {
                var f = files.next();
                write(dir, "skills/" + skillId + "/" + f.getKey(), f.getValue().asText());
            }
        }
    }

    private static void write(Path dir, String relative, String content) {
        Path p = SafePaths.resolve(dir, relative);
        FileTrees.writeAtomically(p, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Shape checks before anything is written; counts workspaces and files against the caps. */
    private static void check(JsonNode b, int[] count) {
        if (!(b instanceof ObjectNode)) throw invalid("a bundle is a JSON object");
        if (!Bundle.SCHEMA.equals(b.path("schema").asText())) throw invalid("schema must be \"1.0\"");
        if (!b.path("name").isTextual() || b.get("name").asText().isBlank()) throw invalid("name is required");
        if (++count[0] > Bundle.MAX_WORKSPACES) throw invalid("more than " + Bundle.MAX_WORKSPACES + " workspaces");
        for (String key : List.of("prompts", "config")) {
            if (b.has(key) && !b.get(key).isNull() && !b.get(key).isObject()) throw invalid(key + " must be an object");
        }
        for (String key : List.of("skills", "memories", "schedules", "sub_workspaces", "required_secrets")) {
            if (b.has(key) && !b.get(key).isNull() && !b.get(key).isArray()) throw invalid(key + " must be a list");
        }
        b.path("prompts").fields().forEachRemaining(f -> file(f.getKey(), f.getValue(), count));
        for (JsonNode skill : b.path("skills")) {
            String id = skill.path("id").asText("");
            if (!id.matches("[a-z0-9][a-z0-9._-]{0,63}")) throw invalid("skill id must be a lowercase folder name: " + id);
            skill.path("files").fields().forEachRemaining(f -> file(f.getKey(), f.getValue(), count));
        }
        for (JsonNode s : b.path("schedules")) {
            if (s.path("cron_expr").asText("").isBlank() || s.path("prompt").asText("").isBlank()) {
                throw invalid("schedules need cron_expr and prompt");
            }
        }
        for (JsonNode sub : b.path("sub_workspaces")) check(sub, count);
    }

    private static void file(String path, JsonNode content, int[] count) {
        if (++count[1] > Bundle.MAX_FILES) throw invalid("more than " + Bundle.MAX_FILES + " files");
        if (!content.isTextual()) throw invalid("file contents must be strings: " + path);
        if (path.startsWith("/") || path.contains("\\") || path.contains("\0") || BundleExporter.hidden(path)
                || List.of(path.split("/")).contains("..")) {
            throw invalid("file path not allowed: " + path);
        }
    }

    static ApiError invalid(String detail) {
        return new ApiError(400, "invalid bundle", Map.of("detail", detail));
    }
}
