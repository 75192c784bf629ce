package ai.molecule.platform.plugins;

import ai.molecule.platform.templates.ShippedTemplates;
import ai.molecule.runtime.config.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The plugins this platform can install ({@code local://<name>}): the shipped ones (classpath
 * {@code plugins/}, extracted to {@code MOLECULE_HOME/plugins/shipped} at start), then
 * {@code <CONFIGS_DIR>/../plugins} (spec §7), then {@code MOLECULE_HOME/plugins/user}; a later
 * source wins on a name clash. A folder whose plugin.yaml is invalid is skipped with a warning.
 */
public final class PluginRegistry {
    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);

    private final List<Path> roots;

    public PluginRegistry(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    public static PluginRegistry standard(Path home, String configsDir) {
        List<Path> roots = new ArrayList<>();
        roots.add(ShippedTemplates.extract(Plugin.DIR, "careful-git", home.resolve("plugins").resolve("shipped")));
        if (configsDir != null) roots.add(Path.of(configsDir).toAbsolutePath().getParent().resolve("plugins"));
        roots.add(home.resolve("plugins").resolve("user"));
        return new PluginRegistry(roots);
    }

    /** Every valid plugin by name, sorted. */
    public List<PluginManifest> all() {
        Map<String, PluginManifest> out = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> list = Files.list(root)) {
                for (Path dir : list.filter(Files::isDirectory).sorted().toList()) {
                    try {
                        PluginManifest m = PluginManifest.read(dir);
                        out.put(m.name(), m);
                    } catch (PluginManifest.Invalid e) {
                        log.warn("plugin skipped: {}", e.getMessage());
                    }
                }
            } catch (IOException e) {
                log.warn("plugins in {} cannot be listed: {}", root, e.getMessage());
            }
        }
        return out.values().stream().sorted(java.util.Comparator.comparing(PluginManifest::name)).toList();
    }

    public Optional<PluginManifest> find(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
