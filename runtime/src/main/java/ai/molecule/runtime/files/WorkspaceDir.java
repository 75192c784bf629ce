package ai.molecule.runtime.files;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host directory behind the agent's {@code /workspace} (spec agent-side §2.2): the original runs
 * in a container where {@code /workspace} is a mount, here it is whatever dir the platform handed
 * over. Files named {@code workspace:/workspace/x}, {@code file:///workspace/x} or {@code /workspace/x}
 * map to {@code <root>/x}; anything else, a {@code ..} segment, or a symlink whose target leaves the
 * root names no file, so a caller cannot point the agent (or a download chip) at the rest of the disk.
 * The same rule as the platform's SafePaths, which this module cannot depend on.
 */
public final class WorkspaceDir {
    /** Where the agent believes its working dir is. */
    public static final String MOUNT = "/workspace";

    private final Path root;

    public WorkspaceDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** An inbound file part as the agent is told about it, or empty when it names no file under the root. */
    public Optional<FileRef> attachment(FileRef part) {
        return existingPath(part.uri()).map(p -> FileRef.inWorkspace(p, part.name(), part.mimeType()));
    }

    /** A {@code /workspace/...} path as an outbound file, when an existing regular file under the root is behind it. */
    Optional<FileRef> existing(String path) {
        return existingPath(path).map(p -> FileRef.inWorkspace(p, null, null));
    }

    private Optional<String> existingPath(String uri) {
        return mountPath(uri).filter(this::isFileUnderRoot);
    }

    /**
     * The {@code /workspace/...} path a uri names, without {@code .} or empty segments; empty for other
     * roots, hosts, {@code ..}, NUL or backslash.
     */
    static Optional<String> mountPath(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        String path = uri;
        if (uri.startsWith(FileRef.SCHEME)) {
            path = uri.substring(FileRef.SCHEME.length());
        } else if (uri.startsWith("file:")) {
            path = fileUriPath(uri);
        }
        if (path == null || !path.startsWith(MOUNT + "/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        StringBuilder clean = new StringBuilder(MOUNT);
        for (String segment : path.substring(MOUNT.length()).split("/")) {
            if (segment.equals("..")) {
                return Optional.empty();
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                clean.append('/').append(segment);
            }
        }
        return clean.length() > MOUNT.length() ? Optional.of(clean.toString()) : Optional.empty();
    }

    /** The decoded path of a local {@code file:} URI; null for a remote host or a malformed URI. */
    private static String fileUriPath(String uri) {
        try {
            URI parsed = new URI(uri);
            String host = parsed.getAuthority();
            return host == null || host.isEmpty() || host.equals("localhost") ? parsed.getPath() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Whether a checked mount path is a regular file whose real path (symlinks followed) is under the root's. */
    private boolean isFileUnderRoot(String mountPath) {
        Path candidate = root.resolve(mountPath.substring(MOUNT.length() + 1)).normalize();
        try {
            Path real = candidate.toRealPath();
            return real.startsWith(root.toRealPath()) && Files.isRegularFile(real);
        } catch (IOException e) { // missing, dangling, or the root itself is missing
            return false;
        }
    }
}
