package ai.molecule.runtime.files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MentionedFilesTest {
    @TempDir
    Path root;
    WorkspaceDir dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(root.resolve("out.csv"), "a,b");
        Files.createDirectories(root.resolve("charts"));
        Files.writeString(root.resolve("charts/q3.png"), "png");
        dir = new WorkspaceDir(root);
    }

    private List<String> paths(String text) {
        return MentionedFiles.in(text, dir).stream().map(FileRef::path).toList();
    }

    @Test
    void existingFilesMentionedInTheReplyBecomeFileParts() {
        List<FileRef> files = MentionedFiles.in("Wrote /workspace/out.csv and the chart (/workspace/charts/q3.png).", dir);

        assertThat(files).containsExactly(
                new FileRef("workspace:/workspace/out.csv", "out.csv", "text/csv"),
                new FileRef("workspace:/workspace/charts/q3.png", "q3.png", "image/png"));
    }

    @Test
    void punctuationQuotesAndMarkdownEndAPath() {
        assertThat(paths("See `/workspace/out.csv`.")).containsExactly("/workspace/out.csv");
        assertThat(paths("[chart](/workspace/charts/q3.png)")).containsExactly("/workspace/charts/q3.png");
        assertThat(paths("\"/workspace/out.csv\", '/workspace/charts/q3.png'")).hasSize(2);
        assertThat(paths("workspace:/workspace/out.csv")).containsExactly("/workspace/out.csv");
        assertThat(paths("Saved to /workspace/out.csv...")).containsExactly("/workspace/out.csv");
    }

    @Test
    void missingFilesDirectoriesOtherRootsAndTraversalAreNotMentions() {
        assertThat(paths("/workspace/missing.csv /workspace/charts/ /workspace/charts /home/u/workspace/out.csv "
                + "/tmp/out.csv /workspace/../etc/passwd /workspace/charts/../out.csv")).isEmpty();
    }

    @Test
    void eachFileOnceAtMostTen() throws Exception {
        assertThat(paths("/workspace/out.csv then /workspace/out.csv again")).containsExactly("/workspace/out.csv");

        StringBuilder reply = new StringBuilder();
        for (int i : IntStream.range(0, 15).toArray()) {
            Files.writeString(root.resolve("f" + i + ".txt"), "x");
            reply.append("/workspace/missing").append(i).append(".txt /workspace/f").append(i).append(".txt\n");
        }
        assertThat(paths(reply.toString())).hasSize(MentionedFiles.MAX).startsWith("/workspace/f0.txt", "/workspace/f1.txt");
    }

    @Test
    void aReplyWithoutWorkspacePathsHasNoFiles() {
        assertThat(MentionedFiles.in("All done.", dir)).isEmpty();
        assertThat(MentionedFiles.in(null, dir)).isEmpty();
    }
}
