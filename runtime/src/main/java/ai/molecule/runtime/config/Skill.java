package ai.molecule.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One skill: {@code skills/<id>/SKILL.md}, with optional YAML front matter
 * ({@code name}, {@code description}, {@code tags}) above the instructions.
 */
public record Skill(String id, String name, String description, List<String> tags, String body) {
    private static final Logger log = LoggerFactory.getLogger(Skill.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The listed skills that have a SKILL.md; a missing one is a warning, as in upstream's preflight. */
    public static List<Skill> loadAll(Path configDir, List<String> ids) {
        List<Skill> out = new ArrayList<>();
        for (String id : ids) {
            Path file = WorkspaceConfig.inside(configDir, "skills/" + id + "/SKILL.md", "skills");
            if (!Files.isRegularFile(file)) {
                log.warn("skill '{}' has no SKILL.md at {}; skipped", id, file);
                continue;
            }
            try {
                out.add(parse(id, Files.readString(file)));
            } catch (IOException e) {
                log.warn("skill '{}' cannot be read: {}", id, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    static Skill parse(String id, String text) {
        String body = text;
        JsonNode meta = null;
        if (text.startsWith("---")) {
            int end = text.indexOf("\n---", 3);
            if (end > 0) {
                try {
                    meta = YAML.readTree(text.substring(3, end));
                } catch (IOException e) {
                    log.warn("skill '{}' has unreadable front matter; used as plain text", id);
                }
                if (meta != null) body = text.substring(text.indexOf('\n', end + 1) + 1);
            }
        }
        String name = meta != null && meta.hasNonNull("name") ? meta.get("name").asText() : id;
        String description = meta != null && meta.hasNonNull("description") ? meta.get("description").asText() : "";
        List<String> tags = new ArrayList<>();
        if (meta != null && meta.path("tags").isArray()) meta.get("tags").forEach(t -> tags.add(t.asText()));
        return new Skill(id, name, description, List.copyOf(tags), body.strip());
    }
}
