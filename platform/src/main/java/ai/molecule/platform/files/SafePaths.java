package ai.molecule.platform.files;

import ai.molecule.platform.http.ApiError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A caller's relative path resolved under a root it can never leave: no absolute paths, no
 * {@code ..} segments, no NUL or backslash, and the real path (symlinks resolved) of the
 * deepest existing part must stay inside the root's real path, so a symlink planted in the
 * root cannot point the API at the rest of the disk.
 */
public final class SafePaths {
    /** Files the runtime keeps for itself; never served or overwritten through the API. */
    static final Set<String> PRIVATE = Set.of(".auth_token");

    private SafePaths() {
    }

    /** {@code relative} under {@code root} ("" = the root itself); 400 {@code invalid path} otherwise. */
    public static Path resolve(Path root, String relative) {
        String rel = relative == null ? "" : relative;
        while (rel.startsWith("./")) rel = rel.substring(2);
        if (rel.startsWith("/") || rel.indexOf('\0') >= 0 || rel.indexOf('\\') >= 0 || rel.length() > 1024) throw invalid();
        for (String segment : rel.split("/")) {
            if (segment.equals("..") || PRIVATE.contains(segment)) throw invalid();
        }
        Path realRoot = realRoot(root);
        Path p = realRoot.resolve(rel).normalize();
        if (!p.startsWith(realRoot)) throw invalid();
        Path existing = p;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        try {
            if (!existing.toRealPath().startsWith(realRoot)) throw invalid();
        } catch (IOException e) { // a dangling symlink
            throw invalid();
        }
        return p;
    }

    /** The root's real path, created when missing. */
    static Path realRoot(Path root) {
        try {
            Files.createDirectories(root);
            return root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + root, e);
        }
    }

    /** The path as the API shows it: relative to the root, with forward slashes. */
    static String relative(Path realRoot, Path p) {
        return realRoot.relativize(p).toString().replace('\\', '/');
    }

    static ApiError invalid() {
        return ApiError.badRequest("invalid path");
    }
}
