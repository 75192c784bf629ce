package ai.molecule.platform.bundles;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.memory.SecretRedactor;
import ai.molecule.platform.provisioner.WorkspaceFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code GET /bundles/export/:id}: a workspace and its subtree as one JSON document (see
 * {@link Bundle}), read in one snapshot. Secrets stay behind; their names are listed.
 */
public final class BundleExporter {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final long MAX_EXPORTED_FILE = 256 * 1024;

    private final Jdbi jdbi;
    private final WorkspaceFiles configDirs;

    public BundleExporter(Jdbi jdbi, WorkspaceFiles configDirs) {
        this.jdbi = jdbi;
        this.configDirs = configDirs;
    }

    public ObjectNode export(UUID id) {
        return jdbi.inTransaction(h -> {
            h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
            return bundle(h, id, 0);
        });
    }

    /** Where a duplicate goes: next to the original. */
    public UUID parentOf(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT parent_id FROM workspaces WHERE id = :id").bind("id", id)
                .mapTo(UUID.class).findOne().orElse(null));
    }

    private ObjectNode bundle(Handle h, UUID id, int depth) {
        if (depth > 32) throw new ApiError(400, "workspace tree is deeper than 32 levels");
        ObjectNode b = h.createQuery("""
                        SELECT w.name, w.role, w.tier, w.runtime, w.max_concurrent_tasks, w.agent_card::text AS card,
                               COALESCE(c.data::text, '{}') AS data
                        FROM workspaces w LEFT JOIN workspace_config c ON c.workspace_id = w.id
                        WHERE w.id = :id AND w.status <> 'removed'""")
                .bind("id", id)
                .map((rs, ctx) -> {
                    ObjectNode o = Json.MAPPER.createObjectNode();
                    ObjectNode data = Json.parse(rs.getString("data")) instanceof ObjectNode d ? d : Json.MAPPER.createObjectNode();
                    data.remove(List.of("name", "role", "tier", "runtime", "template"));
                    o.put("schema", Bundle.SCHEMA);
                    o.put("format_version", Bundle.FORMAT_VERSION);
                    o.put("id", id.toString());
                    o.put("name", rs.getString("name"));
                    o.put("description", rs.getString("role") == null ? "" : rs.getString("role"));
                    o.put("tier", rs.getInt("tier"));
                    o.put("runtime", rs.getString("runtime"));
                    o.put("model", data.path("model").asText(""));
                    o.put("max_concurrent_tasks", rs.getInt("max_concurrent_tasks"));
                    o.set("config", data);
                    String card = rs.getString("card");
                    o.set("agent_card", card == null ? null : Json.parse(card));
                    return o;
                }).findOne().orElseThrow(() -> ApiError.notFound("bundle not found"));
        Path dir = configDirs.dir(id);
        String systemPrompt = b.get("config").path("system_prompt").asText("");
        ObjectNode prompts = Json.MAPPER.createObjectNode();
        ArrayNode skills = Json.MAPPER.createArrayNode();
        try {
            prompts.put("config.yaml", YAML.writeValueAsString(b.get("config")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                    String rel = dir.relativize(p).toString().replace('\\', '/');
                    if (rel.equals("config.yaml") || hidden(rel)) continue;
                    String text = text(p);
                    if (text == null) continue;
                    if (rel.startsWith("skills/") && rel.indexOf('/', 7) > 0) skillFile(skills, rel, text);
                    else prompts.put(rel, text);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (systemPrompt.isEmpty() && prompts.has("system-prompt.md")) systemPrompt = prompts.get("system-prompt.md").asText();
        b.put("system_prompt", systemPrompt);
        b.set("skills", skills);
        b.set("tools", Json.MAPPER.createArrayNode());
        b.set("prompts", prompts);
        b.set("memories", Json.MAPPER.valueToTree(h.createQuery(
                        "SELECT content, scope FROM agent_memories WHERE workspace_id = :id ORDER BY created_at, id")
                .bind("id", id)
                .map((rs, c) -> java.util.Map.of("content", SecretRedactor.redact(rs.getString(1)), "scope", rs.getString(2)))
                .list()));
        b.set("schedules", Json.MAPPER.valueToTree(h.createQuery("""
                        SELECT name, cron_expr, timezone, prompt, enabled, source FROM workspace_schedules
                        WHERE workspace_id = :id ORDER BY name""")
                .bind("id", id).mapToMap().list()));
        b.set("required_secrets", Json.MAPPER.valueToTree(h.createQuery(
                "SELECT key FROM workspace_secrets WHERE workspace_id = :id ORDER BY key").bind("id", id).mapTo(String.class).list()));
        ArrayNode subs = b.putArray("sub_workspaces");
        for (UUID child : h.createQuery("SELECT id FROM workspaces WHERE parent_id = :id AND status <> 'removed' ORDER BY created_at, id")
                .bind("id", id).mapTo(UUID.class).list()) {
            subs.add(bundle(h, child, depth + 1));
        }
        b.put("author", "");
        b.put("version", "1.0.0");
        return b;
    }

    /** The runtime's own files (token, markers, snapshots) are dot-files: never exported. */
    static boolean hidden(String rel) {
        for (String segment : rel.split("/")) if (segment.startsWith(".")) return true;
        return false;
    }

    private static void skillFile(ArrayNode skills, String rel, String text) {
        String skillId = rel.substring(7, rel.indexOf('/', 7));
        ObjectNode skill = null;
        for (JsonNode s : skills) if (s.get("id").asText().equals(skillId)) skill = (ObjectNode) s;
        if (skill == null) {
            skill = skills.addObject().put("id", skillId).put("name", skillId).put("description", "");
            skill.putObject("files");
        }
        String inSkill = rel.substring(8 + skillId.length());
        ((ObjectNode) skill.get("files")).put(inSkill, text);
        if (inSkill.equals("SKILL.md")) {
            JsonNode meta = frontMatter(text);
            if (meta.hasNonNull("name")) skill.put("name", meta.get("name").asText());
            if (meta.hasNonNull("description")) skill.put("description", meta.get("description").asText());
        }
    }

    private static JsonNode frontMatter(String text) {
        if (!text.startsWith("---")) return Json.MAPPER.createObjectNode();
        int end = text.indexOf("\n---", 3);
        if (end < 0) return Json.MAPPER.createObjectNode();
        try {
            return ai.molecule.platform.yaml.SafeYaml.parseObject(text.substring(3, end), "front matter");
        } catch (ai.molecule.platform.yaml.SafeYaml.Invalid e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    /** UTF-8 text up to the size cap, else null (binary and large files are not bundled). */
    private static String text(Path p) throws IOException {
        if (Files.size(p) > MAX_EXPORTED_FILE) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
