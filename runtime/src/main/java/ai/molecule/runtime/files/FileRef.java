package ai.molecule.runtime.files;

import java.net.URLConnection;

/**
 * A file a message carries: its {@code uri} (A2A 0.3 {@code file.uri}, 1.0 {@code url}), a display
 * {@code name} and a {@code mimeType}. On the way in name and type may be null; files the runtime
 * names itself are always {@code workspace:/workspace/...} with both set, the form the platform's
 * chat uploads use and the canvas turns into a download chip.
 */
public record FileRef(String uri, String name, String mimeType) {
    static final String SCHEME = "workspace:";
    private static final String UNKNOWN_TYPE = "application/octet-stream";

    /** A file under {@code /workspace} named the runtime's way; a blank name or type is taken from the path. */
    static FileRef inWorkspace(String path, String name, String mimeType) {
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        String type = blank(mimeType) ? URLConnection.guessContentTypeFromName(fileName) : mimeType;
        return new FileRef(SCHEME + path, blank(name) ? fileName : name, type == null ? UNKNOWN_TYPE : type);
    }

    /** The {@code /workspace/...} path of a file named the runtime's way (the uri as is otherwise). */
    public String path() {
        return uri.startsWith(SCHEME) ? uri.substring(SCHEME.length()) : uri;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
