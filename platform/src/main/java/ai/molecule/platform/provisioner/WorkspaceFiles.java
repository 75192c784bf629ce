package ai.molecule.platform.provisioner;

import ai.molecule.platform.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A workspace's config dir under MOLECULE_HOME/workspaces/&lt;id&gt;: the config.yaml its runtime
 * reads, written from the workspace row and its {@code workspace_config} data at every
 * provision, next to what the runtime keeps there itself (.auth_token, markers).
 */
public final class WorkspaceFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Jdbi jdbi;
    private final Path root;

    public WorkspaceFiles(Jdbi jdbi, Path home) {
        this.jdbi = jdbi;
        this.root = home.resolve("workspaces");
    }

    public Path dir(UUID id) {
        return root.resolve(id.toString());
    }

    /** Writes config.yaml: workspace_config data, with name/role/tier/runtime from the row. */
    public Path writeConfig(UUID id) {
        ObjectNode config = jdbi.withHandle(h -> h.createQuery("""
                        SELECT w.name, w.role, w.tier, w.runtime, c.data::text AS data
                        FROM workspaces w LEFT JOIN workspace_config c ON c.workspace_id = w.id WHERE w.id = :id""")
                .bind("id", id)
                .map((rs, c) -> {
                    JsonNode data = rs.getString("data") == null ? null : Json.parse(rs.getString("data"));
                    ObjectNode o = data instanceof ObjectNode d ? d.deepCopy() : Json.MAPPER.createObjectNode();
                    o.put("name", rs.getString("name"));
                    if (rs.getString("role") != null) o.put("role", rs.getString("role"));
                    o.put("tier", rs.getInt("tier"));
                    o.put("runtime", rs.getString("runtime"));
                    o.remove("template");
                    return o;
                }).one());
        Path dir = dir(id);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".config", ".yaml");
            YAML.writeValue(tmp.toFile(), config);
            Files.move(tmp, dir.resolve("config.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config for workspace " + id, e);
        }
        return dir;
    }
}
