package ai.molecule.platform.org;

import ai.molecule.platform.yaml.SafeYaml;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads an org template folder's {@code org.yaml} (spec agent-side §6.1) into one tree:
 * {@code !include <path>} replaces the node with the named file's content, the path taken
 * relative to the including file and confined to the template folder (real paths, so a
 * symlink cannot lead out), with cycles refused and at most 16 levels deep.
 */
public final class OrgTemplateLoader {
    static final String FILE = "org.yaml";
    static final int MAX_INCLUDE_DEPTH = 16;
    static final int MAX_FILES = 200;

    private final Path root;
    private final Deque<Path> including = new ArrayDeque<>();
    private int filesRead;

    private OrgTemplateLoader(Path root) {
        this.root = root;
    }

    /** The folder's org.yaml with every include resolved; {@link InvalidTemplate} when it cannot be used. */
    public static JsonNode load(Path folder) {
        Path real;
        try {
            real = folder.toRealPath();
        } catch (IOException e) {
            throw new InvalidTemplate("org template folder cannot be read");
        }
        OrgTemplateLoader loader = new OrgTemplateLoader(real);
        return loader.file(real.resolve(FILE));
    }

    private JsonNode file(Path file) {
        Path real = confined(file);
        if (including.contains(real)) throw new InvalidTemplate("!include cycle at " + relative(real));
        if (including.size() >= MAX_INCLUDE_DEPTH) throw new InvalidTemplate("!include nested deeper than " + MAX_INCLUDE_DEPTH);
        if (++filesRead > MAX_FILES) throw new InvalidTemplate("more than " + MAX_FILES + " included files");
        String text;
        try {
            if (Files.size(real) > SafeYaml.MAX_CHARS) throw new InvalidTemplate(relative(real) + " is too large");
            text = Files.readString(real);
        } catch (IOException e) {
            throw new InvalidTemplate(relative(real) + " cannot be read");
        }
        including.push(real);
        try {
            return SafeYaml.parse(text, (tag, value) -> tag.equals("!include")
                    ? file(real.getParent().resolve(value.strip()))
                    : null);
        } catch (SafeYaml.Invalid e) {
            throw new InvalidTemplate(relative(real) + ": " + e.getMessage());
        } finally {
            including.pop();
        }
    }

    /** The real path of an existing regular file inside the template folder. */
    private Path confined(Path file) {
        Path normal = file.normalize();
        if (!normal.startsWith(root)) throw new InvalidTemplate("!include must stay inside the template folder");
        if (!Files.isRegularFile(normal)) throw new InvalidTemplate(relative(normal) + " not found");
        try {
            Path real = normal.toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidTemplate("!include must stay inside the template folder");
            }
            return real;
        } catch (IOException e) {
            throw new InvalidTemplate(relative(normal) + " cannot be read");
        }
    }

    /** {@code relative} inside the template folder {@code root}, as a real path; refuses anything leading out. */
    static Path inside(Path root, String relative, String key) {
        if (relative.startsWith("/") || relative.indexOf('\0') >= 0) throw new InvalidTemplate(key + " must be a relative path");
        try {
            Path realRoot = root.toRealPath();
            Path p = realRoot.resolve(relative).normalize();
            if (!p.startsWith(realRoot)) throw new InvalidTemplate(key + " must stay inside the template folder");
            if (!Files.exists(p)) return p;
            Path real = p.toRealPath();
            if (!real.startsWith(realRoot)) throw new InvalidTemplate(key + " must stay inside the template folder");
            return real;
        } catch (IOException e) {
            throw new InvalidTemplate(key + " cannot be read");
        }
    }

    private String relative(Path p) {
        return p.startsWith(root) ? root.relativize(p).toString() : p.getFileName().toString();
    }

    /** The template cannot be used; the message says where and why (shown as the 400's detail). */
    public static final class InvalidTemplate extends RuntimeException {
        public InvalidTemplate(String message) {
            super(message);
        }
    }
}
