package ai.molecule.platform.files;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.provisioner.WorkspaceFiles;
import ai.molecule.platform.yaml.SafeYaml;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A workspace's files (spec §1.14) on this host: {@code /configs} is its config dir (what
 * its runtime reads), {@code /workspace} its working dir ({@code workspace_dir} when set,
 * else one under MOLECULE_HOME), {@code /plugins} the config dir's plugins, {@code /home} a
 * scratch dir. Every caller path goes through {@link SafePaths}. {@code config.yaml} is
 * generated from the database at every start, so writing it stores the parsed mapping as
 * the workspace's config; every write under {@code /configs} applies at the next restart.
 */
public final class WorkspaceFileService {
    public static final long MAX_FILE_BYTES = 512 * 1024;
    public static final int MAX_FILES = 200;
    static final int MAX_LISTED = 5000;
    public static final List<String> ROOTS = List.of("/configs", "/workspace", "/home", "/plugins");
    private static final String CONFIG_YAML = "config.yaml";

    private final Jdbi jdbi;
    private final WorkspaceFiles configDirs;
    private final Path home;

    public WorkspaceFileService(Jdbi jdbi, WorkspaceFiles configDirs, Path home) {
        this.jdbi = jdbi;
        this.configDirs = configDirs;
        this.home = home;
    }

    public record Entry(String path, long size, boolean dir) {
        Map<String, Object> toJson() {
            return JsonMap.of("path", path, "size", size, "dir", dir);
        }
    }

    private record Row(String workspaceDir, String access) {
    }

    /** The directory behind {@code root}; 400 for an unknown root, 404 for an unknown workspace. */
    public Path root(UUID id, String root) {
        String r = root == null || root.isEmpty() ? "/configs" : root;
        if (!ROOTS.contains(r)) throw ApiError.badRequest("root must be one of: /configs, /workspace, /home, /plugins");
        Row row = row(id);
        return switch (r) {
            case "/configs" -> configDirs.dir(id);
            case "/plugins" -> configDirs.dir(id).resolve("plugins");
            case "/home" -> home.resolve("workspace-home").resolve(id.toString());
            default -> row.workspaceDir() != null ? Path.of(row.workspaceDir()) : workspaceDir(id);
        };
    }

    /** The working dir of a workspace without {@code workspace_dir} (chat uploads land here). */
    public Path workspaceDir(UUID id) {
        return home.resolve("workspace-files").resolve(id.toString());
    }

    private Row row(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT workspace_dir, workspace_access FROM workspaces WHERE id = :id AND status <> 'removed'")
                        .bind("id", id).map((rs, c) -> new Row(rs.getString(1), rs.getString(2))).findOne())
                .orElseThrow(() -> ApiError.notFound("workspace not found"));
    }

    public List<Map<String, Object>> list(UUID id, String root, String path, int depth) {
        if (depth < 1 || depth > 5) throw ApiError.badRequest("depth must be 1-5");
        Path base = root(id, root);
        Path realRoot = SafePaths.realRoot(base);
        Path start = SafePaths.resolve(base, path);
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<Map<String, Object>> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(start, depth)) { // symlinks are listed, never followed
            walk.filter(p -> !p.equals(start))
                    .filter(p -> !SafePaths.PRIVATE.contains(p.getFileName().toString()))
                    .sorted()
                    .limit(MAX_LISTED)
                    .forEach(p -> out.add(entry(realRoot, p).toJson()));
        } catch (IOException | UncheckedIOException e) {
            throw new ApiError(500, "cannot list files");
        }
        return out;
    }

    private static Entry entry(Path realRoot, Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new Entry(SafePaths.relative(realRoot, p), a.isDirectory() ? 0 : a.size(), a.isDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Object> read(UUID id, String root, String path) {
        Path file = SafePaths.resolve(root(id, root), path);
        if (!Files.isRegularFile(file)) throw ApiError.notFound("file not found");
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw tooLarge();
            return JsonMap.of("path", path, "content", Files.readString(file, StandardCharsets.UTF_8), "size", size);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ApiError(415, "file is not UTF-8 text");
        } catch (IOException e) {
            throw ApiError.notFound("file not found");
        }
    }

    /** Writes one file; true when it is under {@code /configs} (applies at the next restart). */
    public boolean write(UUID id, String root, String path, String content) {
        String r = root == null || root.isEmpty() ? "/configs" : root;
        Path base = root(id, r);
        checkWritable(id, r);
        Path file = SafePaths.resolve(base, path);
        if (file.equals(SafePaths.realRoot(base))) throw SafePaths.invalid();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_FILE_BYTES) throw tooLarge();
        if (r.equals("/configs") && isConfigYaml(base, file)) storeConfig(id, content);
        FileTrees.writeAtomically(file, bytes);
        return r.equals("/configs") || r.equals("/plugins");
    }

    public void delete(UUID id, String root, String path) {
        String r = root == null || root.isEmpty() ? "/configs" : root;
        Path base = root(id, r);
        checkWritable(id, r);
        Path file = SafePaths.resolve(base, path);
        if (file.equals(SafePaths.realRoot(base))) throw SafePaths.invalid();
        if (r.equals("/configs") && isConfigYaml(base, file)) throw ApiError.badRequest("config.yaml cannot be deleted");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) throw ApiError.notFound("file not found");
        FileTrees.delete(file);
    }

    /**
     * Replaces the files of {@code /configs}: every path is checked before anything changes,
     * then the old files go (dot-files, which the runtime keeps, stay) and the new ones are
     * written.
     */
    public int replaceAll(UUID id, Map<String, String> files) {
        if (files.size() > MAX_FILES) throw ApiError.badRequest("too many files (max " + MAX_FILES + ")");
        Path base = root(id, "/configs");
        Path realRoot = SafePaths.realRoot(base);
        Map<Path, byte[]> planned = new java.util.LinkedHashMap<>();
        String config = null;
        for (var f : files.entrySet()) {
            Path p = SafePaths.resolve(base, f.getKey());
            if (p.equals(realRoot)) throw SafePaths.invalid();
            byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_FILE_BYTES) throw tooLarge();
            if (isConfigYaml(base, p)) config = f.getValue();
            planned.put(p, bytes);
        }
        if (config != null) storeConfig(id, config);
        try (Stream<Path> top = Files.list(realRoot)) {
            for (Path p : top.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && !name.equals(CONFIG_YAML)) FileTrees.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        planned.forEach(FileTrees::writeAtomically);
        return planned.size();
    }

    /** {@code shared_context:} files of the workspace's config that exist, as {@code [{path, content}]}. */
    public List<Map<String, Object>> sharedContext(UUID id) {
        Path base = root(id, "/configs");
        JsonNode listed = configData(id).path("shared_context");
        List<Map<String, Object>> out = new ArrayList<>();
        if (!listed.isArray()) return out;
        for (JsonNode p : listed) {
            if (!p.isTextual()) continue;
            try {
                Path file = SafePaths.resolve(base, p.textValue());
                if (Files.isRegularFile(file) && Files.size(file) <= MAX_FILE_BYTES) {
                    out.add(JsonMap.of("path", p.textValue(), "content", Files.readString(file)));
                }
            } catch (ApiError | IOException e) {
                // a listed path that is unsafe or unreadable is left out, as a missing one is
            }
        }
        return out;
    }

    public ObjectNode configData(UUID id) {
        String data = jdbi.withHandle(h -> h.createQuery("SELECT data::text FROM workspace_config WHERE workspace_id = :id")
                .bind("id", id).mapTo(String.class).findOne().orElse("{}"));
        return Json.parse(data) instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
    }

    /** config.yaml as written by the user becomes the workspace's config (name/role/tier/runtime stay the row's). */
    private void storeConfig(UUID id, String yaml) {
        ObjectNode parsed;
        try {
            parsed = SafeYaml.parseObject(yaml, "config.yaml");
        } catch (SafeYaml.Invalid e) {
            throw ApiError.badRequest("invalid config.yaml: " + e.getMessage());
        }
        ObjectNode old = configData(id);
        if (old.has("template")) parsed.set("template", old.get("template"));
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO workspace_config (workspace_id, data) VALUES (:id, CAST(:data AS jsonb))
                        ON CONFLICT (workspace_id) DO UPDATE SET data = excluded.data, updated_at = now()""")
                .bind("id", id).bind("data", Json.write(parsed)).execute());
    }

    private void checkWritable(UUID id, String root) {
        if (root.equals("/workspace")) {
            Row row = row(id);
            if (row.workspaceDir() != null && "read_only".equals(row.access())) {
                throw ApiError.forbidden("workspace directory is read-only");
            }
        }
    }

    private static boolean isConfigYaml(Path base, Path file) {
        return file.equals(SafePaths.realRoot(base).resolve(CONFIG_YAML));
    }

    static ApiError tooLarge() {
        return new ApiError(413, "file too large (max " + MAX_FILE_BYTES + " bytes)");
    }
}
