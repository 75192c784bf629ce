package ai.molecule.runtime.files;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files an agent's final reply points at (spec agent-side §2.2 "Outbound files"): every
 * {@code /workspace/...} path in the text that is an existing regular file under the root becomes a
 * file part, so the canvas shows a download chip. Paths end at whitespace, quotes, brackets or a
 * comma, and lose trailing dots (the end of a sentence); a path inside a longer one
 * ({@code /home/u/workspace/x}) is not a mention.
 */
public final class MentionedFiles {
    /** A reply naming more files than this is a listing, not a hand-over. */
    static final int MAX = 10;
    private static final Pattern PATH = Pattern.compile("(?<![\\w.\\-])" + WorkspaceDir.MOUNT + "/[\\w.\\-/+@%~=]+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private MentionedFiles() {
    }

    public static List<FileRef> in(String text, WorkspaceDir dir) {
        if (text == null || !text.contains(WorkspaceDir.MOUNT + "/")) {
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        List<FileRef> files = new ArrayList<>();
        Matcher m = PATH.matcher(text);
        while (m.find() && files.size() < MAX) {
            String path = m.group().replaceAll("[./]+$", "");
            if (seen.add(path)) {
                dir.existing(path).ifPresent(files::add);
            }
        }
        return List.copyOf(files);
    }
}
