package ai.molecule.platform.templates;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The templates that ship inside the product (the classpath folder {@code templates/}, in the
 * jar or in {@code target/classes}) copied to {@code MOLECULE_HOME/templates/shipped} at start,
 * fresh each time, so every reader works on plain files with real paths.
 */
public final class ShippedTemplates {
    private static final Logger log = LoggerFactory.getLogger(ShippedTemplates.class);
    static final String RESOURCE = "templates";

    private ShippedTemplates() {
    }

    /** Extracts into {@code target} (replacing what an older version left there) and returns it. */
    public static Path extract(Path target) {
        return extract(RESOURCE, "org", target);
    }

    /**
     * Extracts the classpath folder {@code resource} (found through its sub-folder {@code anchor})
     * into {@code target}, replacing what an older version left there; the shipped plugins too.
     */
    public static Path extract(String resource, String anchor, Path target) {
        URL url = ShippedTemplates.class.getClassLoader().getResource(resource + "/" + anchor);
        ai.molecule.platform.files.FileTrees.delete(target);
        if (url == null) {
            log.warn("nothing shipped on the classpath at {}", resource);
            return target;
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    copyTree(fs.getPath("/" + resource), target);
                }
            } else {
                copyTree(Path.of(uri).getParent(), target);
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot extract the shipped " + resource + ": " + e.getMessage(), e);
        }
        return target;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
