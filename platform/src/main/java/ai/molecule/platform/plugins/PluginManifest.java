package ai.molecule.platform.plugins;

import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.yaml.SafeYaml;
import ai.molecule.runtime.config.Plugin;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A plugin folder's {@code plugin.yaml} (spec agent-side §5.2), read with {@link SafeYaml} and
 * checked by the runtime's own layout rules ({@link Plugin}): its name is the folder's, its
 * listed rules, fragments and skills exist inside it. What {@code GET /plugins} shows.
 */
public record PluginManifest(String name, String version, String description, String author, List<String> tags,
                             List<String> skills, List<String> runtimes, Path dir) {
    static final long MAX_MANIFEST_BYTES = 64 * 1024;

    /** Why a plugin folder is not a valid plugin; the message is safe to show. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    static PluginManifest read(Path dir) {
        String folder = dir.getFileName().toString();
        if (!Plugin.NAME.matcher(folder).matches()) throw new Invalid("invalid plugin name: " + folder);
        Path file = dir.resolve(Plugin.MANIFEST);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new Invalid("plugin " + folder + " has no plugin.yaml");
            if (Files.size(file) > MAX_MANIFEST_BYTES) throw new Invalid("plugin.yaml of " + folder + " is too large");
            JsonNode y = SafeYaml.parseObject(Files.readString(file), "plugin.yaml");
            String name = text(y, "name", folder);
            if (!name.equals(folder)) throw new Invalid("plugin.yaml name '" + name + "' differs from its folder " + folder);
            List<String> skills = Plugin.skillIds(dir, Plugin.strings(y, "skills"));
            Plugin.ruleFiles(dir, Plugin.strings(y, "rules"));
            Plugin.fragmentFiles(dir, Plugin.strings(y, "prompt_fragments"));
            return new PluginManifest(name, text(y, "version", ""), text(y, "description", ""), text(y, "author", ""),
                    Plugin.strings(y, "tags"), skills, Plugin.strings(y, "runtimes"), dir);
        } catch (SafeYaml.Invalid | IllegalArgumentException e) {
            throw new Invalid("plugin " + folder + ": " + e.getMessage());
        } catch (IOException e) {
            throw new Invalid("plugin " + folder + " cannot be read");
        }
    }

    boolean supports(String runtime) {
        return Plugin.supports(runtimes, runtime);
    }

    /** {@code pluginInfo} of spec §1.15. */
    Map<String, Object> toJson() {
        return JsonMap.of("name", name, "version", version, "description", description, "author", author,
                "tags", tags, "skills", skills, "runtimes", runtimes);
    }

    private static String text(JsonNode y, String key, String fallback) {
        JsonNode v = y.get(key);
        if (v == null || v.isNull()) return fallback;
        if (!v.isValueNode()) throw new Invalid("plugin.yaml '" + key + "' must be a string");
        return v.asText();
    }
}
