package ai.molecule.platform.templates;

import ai.molecule.platform.files.SafePaths;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.yaml.SafeYaml;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Workspace templates (spec §1.13): {@code GET /templates}, {@code POST /templates/import}. */
public final class TemplateRoutes implements RouteModule {
    static final int MAX_FILES = 200;
    static final int MAX_FILE_BYTES = 512 * 1024;

    private final TemplateCatalog catalog;
    private final Auth auth;

    public TemplateRoutes(TemplateCatalog catalog, Auth auth) {
        this.catalog = catalog;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/templates", ctx -> {
            auth.admin(ctx);
            List<Map<String, Object>> out = new ArrayList<>();
            catalog.workspaceTemplates().forEach((id, dir) -> describe(id, dir).ifPresent(out::add));
            ctx.json(out);
        });
        r.post("/templates/import", ctx -> {
            auth.admin(ctx);
            Body b = Body.of(ctx, "invalid request body");
            String name = b.requiredString("name");
            ObjectNode files = b.object("files").orElseThrow(() -> ApiError.badRequest("files is required"));
            ctx.status(201).json(importTemplate(name, files));
        });
    }

    /** The listing entry; a template whose config.yaml cannot be read is left out. */
    static java.util.Optional<Map<String, Object>> describe(String id, Path dir) {
        ObjectNode c;
        try {
            c = SafeYaml.parseObject(Files.readString(dir.resolve("config.yaml")), "config.yaml");
        } catch (IOException | SafeYaml.Invalid e) {
            return java.util.Optional.empty();
        }
        JsonNode rc = c.path("runtime_config");
        List<String> skills = new ArrayList<>();
        c.path("skills").forEach(s -> skills.add(s.asText()));
        Map<String, Object> m = new LinkedHashMap<>(JsonMap.of(
                "id", id, "name", c.path("name").asText(id), "description", c.path("description").asText(""),
                "tier", c.path("tier").asInt(1), "runtime", c.path("runtime").asText("langgraph"),
                "model", c.hasNonNull("model") ? c.get("model").asText() : rc.path("model").asText("")));
        if (rc.path("models").isArray()) m.put("models", rc.get("models"));
        if (rc.path("required_env").isArray()) m.put("required_env", rc.get("required_env"));
        m.put("skills", skills);
        m.put("skill_count", skills.size());
        if (rc.path("provision_timeout_seconds").isInt()) m.put("provision_timeout_seconds", rc.get("provision_timeout_seconds").asInt());
        return java.util.Optional.of(m);
    }

    /** Writes the files into a staging folder, then moves it into place: a template appears whole or not at all. */
    private Map<String, Object> importTemplate(String name, ObjectNode files) {
        String id = normalize(name);
        if (id.isEmpty()) throw ApiError.badRequest("invalid template name");
        if (files.isEmpty() || files.size() > MAX_FILES) throw ApiError.badRequest("files must hold 1 to " + MAX_FILES + " files");
        if (catalog.workspaceTemplate(id).isPresent()) {
            throw new ApiError(409, "template already exists", Map.of("id", id));
        }
        Path root = catalog.userWorkspaceTemplates();
        Path staging;
        try {
            Files.createDirectories(root);
            staging = Files.createTempDirectory(root, ".import-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            var it = files.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().isTextual()) throw ApiError.badRequest("file contents must be strings");
                byte[] bytes = e.getValue().textValue().getBytes(StandardCharsets.UTF_8);
                if (bytes.length > MAX_FILE_BYTES) throw new ApiError(413, "file too large (max " + MAX_FILE_BYTES + " bytes)");
                Path p = SafePaths.resolve(staging, e.getKey());
                if (p.equals(staging.toRealPath())) throw ApiError.badRequest("invalid path");
                Files.createDirectories(p.getParent());
                Files.write(p, bytes);
            }
            Path config = staging.resolve("config.yaml");
            if (Files.isRegularFile(config)) {
                try {
                    SafeYaml.parseObject(Files.readString(config), "config.yaml");
                } catch (SafeYaml.Invalid e) {
                    throw ApiError.badRequest("invalid config.yaml: " + e.getMessage());
                }
            } else {
                Files.writeString(config, "name: " + yamlString(name.replaceAll("\\p{Cntrl}", " ")) + "\ndescription: \"\"\ntier: 2\nruntime: langgraph\n");
            }
            Files.move(staging, root.resolve(id));
        } catch (IOException e) {
            ai.molecule.platform.files.FileTrees.delete(staging);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            ai.molecule.platform.files.FileTrees.delete(staging);
            throw e;
        }
        return JsonMap.of("status", "imported", "id", id, "name", name);
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Lower case, runs of anything but letters and digits become one dash. */
    static String normalize(String name) {
        String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return id.length() > 100 ? id.substring(0, 100) : id;
    }
}
