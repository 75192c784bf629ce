package ai.molecule.platform.plugins;

import ai.molecule.platform.files.FileTrees;
import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.provisioner.WorkspaceFiles;
import ai.molecule.runtime.config.Plugin;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A workspace's plugins (spec §1.15): installed ones live in its config dir's
 * {@code plugins/<name>/}, where the runtime's watcher picks them up (rules and fragments
 * join the system prompt, skills join the card) without a restart. Install copies a registry
 * plugin there through a staging folder (atomic rename, size-capped, no symlinks), after the
 * org allowlist and the optional {@code sha256} of its plugin.yaml.
 */
public final class PluginService {
    private static final Logger log = LoggerFactory.getLogger(PluginService.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final Jdbi jdbi;
    private final PluginRegistry registry;
    private final PluginAllowlist allowlist;
    private final Hierarchy hierarchy;
    private final WorkspaceFiles configDirs;
    private final long maxDirBytes;

    public PluginService(Jdbi jdbi, PluginRegistry registry, PluginAllowlist allowlist, Hierarchy hierarchy,
                         WorkspaceFiles configDirs, long maxDirBytes) {
        this.jdbi = jdbi;
        this.registry = registry;
        this.allowlist = allowlist;
        this.hierarchy = hierarchy;
        this.configDirs = configDirs;
        this.maxDirBytes = maxDirBytes;
    }

    /** {@code GET /plugins}: the registry, filtered by runtime when one is given. */
    public List<Map<String, Object>> list(String runtime) {
        return registry.all().stream().filter(m -> runtime == null || runtime.isBlank() || m.supports(runtime))
                .map(PluginManifest::toJson).toList();
    }

    public List<Map<String, Object>> installed(UUID id) {
        String runtime = runtime(id);
        return installedManifests(id).stream().map(m -> {
            Map<String, Object> o = new java.util.LinkedHashMap<>(m.toJson());
            o.put("supported_on_runtime", m.supports(runtime));
            return o;
        }).toList();
    }

    public List<Map<String, Object>> available(UUID id) {
        return list(runtime(id));
    }

    /** Would the installed plugins still load if the workspace ran {@code runtime}? */
    public Map<String, Object> compatibility(UUID id, String runtime) {
        if (runtime == null || runtime.isBlank()) throw ApiError.badRequest("runtime query parameter is required");
        runtime(id);
        List<Map<String, Object>> ok = new ArrayList<>();
        List<Map<String, Object>> not = new ArrayList<>();
        for (PluginManifest m : installedManifests(id)) {
            (m.supports(runtime) ? ok : not).add(JsonMap.of("name", m.name(), "version", m.version(), "runtimes", m.runtimes()));
        }
        return JsonMap.of("target_runtime", runtime, "compatible", ok, "incompatible", not, "all_compatible", not.isEmpty());
    }

    /** Synchronized with uninstall: two changes of one plugins folder never interleave (installs are rare). */
    public synchronized Map<String, Object> install(UUID id, String rawSource, String sha256) {
        runtime(id);
        PluginSource source = PluginSource.parse(rawSource);
        if (sha256 != null && !SHA256.matcher(sha256).matches()) throw ApiError.badRequest("sha256 must be 64 hex characters");
        List<UUID> chain = hierarchy.chain(id);
        if (!chain.isEmpty()) allowlist.check(chain.getLast(), source.name());
        PluginManifest plugin = find(source);
        if (sha256 != null) {
            String actual = sha256Of(plugin.dir().resolve(Plugin.MANIFEST));
            if (!actual.equalsIgnoreCase(sha256)) throw new ApiError(422, "sha256 mismatch: expected " + sha256.toLowerCase() + ", got " + actual);
        }
        Path plugins = configDirs.dir(id).resolve(Plugin.DIR);
        Path staging = plugins.resolve(".staging-" + UUID.randomUUID());
        try {
            Files.createDirectories(plugins);
            copy(plugin.dir(), staging);
            Path target = plugins.resolve(plugin.name());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Path old = plugins.resolve(".removing-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                FileTrees.delete(old);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install plugin " + plugin.name(), e);
        } finally {
            FileTrees.delete(staging);
        }
        log.info("workspace {}: plugin {} installed from {}", id, plugin.name(), source);
        return JsonMap.of("status", "installed", "plugin", plugin.name(), "source", source.toString());
    }

    public synchronized Map<String, Object> uninstall(UUID id, String name) {
        runtime(id);
        if (name == null || !Plugin.NAME.matcher(name).matches()) throw ApiError.badRequest("invalid plugin name");
        Path plugins = configDirs.dir(id).resolve(Plugin.DIR);
        Path dir = plugins.resolve(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw ApiError.notFound("plugin \"" + name + "\" is not installed");
        Path old = plugins.resolve(".removing-" + UUID.randomUUID());
        try {
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE); // the runtime never sees a half-deleted plugin
        } catch (IOException e) {
            throw new UncheckedIOException("cannot uninstall plugin " + name, e);
        }
        FileTrees.delete(old);
        log.info("workspace {}: plugin {} uninstalled", id, name);
        return JsonMap.of("status", "uninstalled", "plugin", name);
    }

    /** The registry plugin behind {@code rawSource} (default {@code local://<name>}), which must be {@code name}. */
    public PluginManifest forDownload(UUID id, String name, String rawSource) {
        runtime(id);
        if (name == null || !Plugin.NAME.matcher(name).matches()) throw ApiError.badRequest("invalid plugin name");
        PluginSource source = PluginSource.parse(rawSource == null || rawSource.isBlank() ? PluginSource.LOCAL + name : rawSource);
        if (!source.name().equals(name)) throw ApiError.badRequest("source does not name plugin " + name);
        return find(source);
    }

    static void tarball(PluginManifest plugin, OutputStream out) throws IOException {
        Tarball.write(plugin.dir(), plugin.name(), out);
    }

    private PluginManifest find(PluginSource source) {
        return registry.find(source.name()).orElseThrow(() -> ApiError.notFound("plugin \"" + source.name() + "\" not found"));
    }

    private List<PluginManifest> installedManifests(UUID id) {
        Path plugins = configDirs.dir(id).resolve(Plugin.DIR);
        if (!Files.isDirectory(plugins, LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<PluginManifest> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(plugins)) {
            for (Path dir : dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                if (dir.getFileName().toString().startsWith(".")) continue;
                try {
                    out.add(PluginManifest.read(dir));
                } catch (PluginManifest.Invalid e) {
                    log.warn("workspace {}: installed plugin skipped: {}", id, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Copies regular files and folders, refusing symlinks and stopping past the size cap (413). */
    private void copy(Path from, Path to) throws IOException {
        long total = 0;
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(from)) {
            entries = walk.sorted().toList();
        }
        for (Path p : entries) {
            Path dest = to.resolve(from.relativize(p).toString());
            if (Files.isSymbolicLink(p)) throw new ApiError(422, "plugin contains a symbolic link: " + from.relativize(p));
            if (Files.isDirectory(p)) {
                Files.createDirectories(dest);
            } else {
                total += Files.size(p);
                if (total > maxDirBytes) throw new ApiError(413, "plugin too large (max " + maxDirBytes + " bytes)");
                Files.copy(p, dest);
            }
        }
    }

    private String runtime(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT runtime FROM workspaces WHERE id = :id AND status <> 'removed'")
                        .bind("id", id).mapTo(String.class).findOne())
                .orElseThrow(() -> ApiError.notFound("workspace not found"));
    }

    private static String sha256Of(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
