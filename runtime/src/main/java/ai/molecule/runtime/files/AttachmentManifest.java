package ai.molecule.runtime.files;

import java.util.List;

/**
 * The "Attached files" block the model reads after the user's text (spec agent-side §2.2): one line
 * per file with its name, type and {@code /workspace} path, so the agent knows what came with the
 * message and where its tools find it.
 */
public final class AttachmentManifest {
    private AttachmentManifest() {
    }

    /** {@code text}, a blank line, then the manifest; the text alone without files, the manifest alone without text. */
    public static String appendTo(String text, List<FileRef> files) {
        if (files.isEmpty()) {
            return text;
        }
        String manifest = render(files);
        return text == null || text.isBlank() ? manifest : text + "\n\n" + manifest;
    }

    static String render(List<FileRef> files) {
        StringBuilder out = new StringBuilder("Attached files:");
        for (FileRef f : files) {
            out.append("\n- ").append(oneLine(f.name())).append(" (").append(oneLine(f.mimeType())).append("): ")
                    .append(f.path());
        }
        return out.toString();
    }

    /** A caller-chosen name cannot add lines of its own to the prompt. */
    private static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}+", " ").strip();
    }
}
