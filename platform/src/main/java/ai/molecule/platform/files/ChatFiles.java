package ai.molecule.platform.files;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.JsonMap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Chat attachments (spec §1.14): uploads land in the workspace's working dir under
 * {@code .molecule/chat-uploads/<32 hex>-<sanitized name>} and are named to the agent as
 * {@code workspace:/workspace/...}; downloads take such an absolute path back.
 */
public final class ChatFiles {
    public static final long MAX_FILE_BYTES = 25L * 1024 * 1024;
    public static final long MAX_TOTAL_BYTES = 50L * 1024 * 1024;
    static final String UPLOADS = ".molecule/chat-uploads";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final WorkspaceFileService files;

    public ChatFiles(WorkspaceFileService files) {
        this.files = files;
    }

    /** Stores one upload (already size-checked by the caller's limits too) and describes it. */
    public Map<String, Object> store(UUID id, String originalName, String mimeType, InputStream in) {
        Path dir = SafePaths.resolve(files.root(id, "/workspace"), UPLOADS);
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String name = HexFormat.of().formatHex(random) + "-" + sanitize(originalName);
        Path target = dir.resolve(name);
        long size;
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".upload", ".tmp");
            try (InputStream limited = in) {
                size = copyLimited(limited, tmp);
            } catch (ApiError | IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store upload", e);
        }
        return JsonMap.of("uri", "workspace:/workspace/" + UPLOADS + "/" + name, "name", originalName,
                "mimeType", mimeType == null || mimeType.isBlank() ? "application/octet-stream" : mimeType, "size", size);
    }

    private static long copyLimited(InputStream in, Path tmp) throws IOException {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (var out = Files.newOutputStream(tmp)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > MAX_FILE_BYTES) throw new ApiError(413, "file too large (max 25 MB)");
                out.write(buf, 0, n);
            }
        }
        return total;
    }

    /** An absolute path under {@code /workspace} or {@code /configs}, resolved safely; 404 when absent. */
    public Path download(UUID id, String absolute) {
        if (absolute == null || absolute.isEmpty()) throw ApiError.badRequest("path is required");
        String root = WorkspaceFileService.ROOTS.stream()
                .filter(r -> absolute.startsWith(r + "/")).findFirst()
                .orElseThrow(() -> ApiError.badRequest("invalid path"));
        Path file = SafePaths.resolve(files.root(id, root), absolute.substring(root.length() + 1));
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) throw ApiError.notFound("file not found");
        return file;
    }

    /** Keeps letters, digits, dot, dash and underscore; never empty, never a dot-file, at most 100 characters. */
    static String sanitize(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        String clean = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "");
        if (clean.length() > 100) clean = clean.substring(clean.length() - 100);
        return clean.isEmpty() ? "file" : clean;
    }
}
