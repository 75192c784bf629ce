package ai.molecule.platform.templates;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.yaml.SafeYaml;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where templates live: org templates (folders with {@code org.yaml}) and workspace templates
 * (folders with {@code config.yaml}), each from the shipped set, then {@code CONFIGS_DIR}
 * when set, then the user's folders under MOLECULE_HOME (a later source wins on a name clash).
 * Template names are single safe path segments.
 */
public final class TemplateCatalog {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final List<Path> orgRoots;
    private final List<Path> workspaceRoots;
    private final Path userWorkspaceTemplates;

    public TemplateCatalog(List<Path> orgRoots, List<Path> workspaceRoots, Path userWorkspaceTemplates) {
        this.orgRoots = List.copyOf(orgRoots);
        this.workspaceRoots = List.copyOf(workspaceRoots);
        this.userWorkspaceTemplates = userWorkspaceTemplates;
    }

    /** Shipped (extracted under {@code home}), CONFIGS_DIR's, then the user's. */
    public static TemplateCatalog standard(Path home, String configsDir) {
        Path shipped = ShippedTemplates.extract(home.resolve("templates").resolve("shipped"));
        List<Path> org = new ArrayList<>(List.of(shipped.resolve("org")));
        List<Path> ws = new ArrayList<>(List.of(shipped.resolve("workspace")));
        if (configsDir != null) {
            ws.add(Path.of(configsDir));
            org.add(Path.of(configsDir).toAbsolutePath().getParent().resolve("org-templates"));
        }
        org.add(home.resolve("org-templates"));
        Path user = home.resolve("templates").resolve("user");
        ws.add(user);
        return new TemplateCatalog(org, ws, user);
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public Map<String, Path> orgTemplates() {
        return folders(orgRoots, "org.yaml");
    }

    public Map<String, Path> workspaceTemplates() {
        return folders(workspaceRoots, "config.yaml");
    }

    public Optional<Path> orgTemplate(String dir) {
        return validName(dir) ? Optional.ofNullable(orgTemplates().get(dir)) : Optional.empty();
    }

    public Optional<Path> workspaceTemplate(String id) {
        return validName(id) ? Optional.ofNullable(workspaceTemplates().get(id)) : Optional.empty();
    }

    /** A workspace template's config.yaml as stored config: the row's own fields removed. */
    public static ObjectNode workspaceConfig(Path template) {
        ObjectNode c = rawWorkspaceConfig(template);
        c.remove(List.of("name", "role", "tier", "runtime"));
        return c;
    }

    /** A workspace template's config.yaml as written; 400 when it is not a YAML mapping. */
    public static ObjectNode rawWorkspaceConfig(Path template) {
        try {
            return SafeYaml.parseObject(Files.readString(template.resolve("config.yaml")), "config.yaml");
        } catch (IOException | SafeYaml.Invalid e) {
            throw ApiError.badRequest("invalid template config: " + template.getFileName());
        }
    }

    public Path userWorkspaceTemplates() {
        return userWorkspaceTemplates;
    }

    private static Map<String, Path> folders(List<Path> roots, String marker) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> list = Files.list(root)) {
                list.filter(p -> validName(p.getFileName().toString()) && Files.isRegularFile(p.resolve(marker)))
                        .sorted()
                        .forEach(p -> out.put(p.getFileName().toString(), p));
            } catch (IOException e) {
                // an unreadable source lists nothing
            }
        }
        return out;
    }
}
