package ai.molecule.runtime.files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How a uri in a file part maps onto the host dir behind /workspace, and every way out of it refused. */
class WorkspaceDirTest {
    @TempDir
    Path tmp;
    Path root;
    WorkspaceDir dir;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectories(tmp.resolve("ws"));
        Files.createDirectories(root.resolve(".molecule/chat-uploads"));
        Files.writeString(root.resolve(".molecule/chat-uploads/abc-notes.txt"), "hello");
        Files.writeString(root.resolve("my report.csv"), "a,b");
        Files.writeString(tmp.resolve("secret.txt"), "outside the root");
        dir = new WorkspaceDir(root);
    }

    private Optional<FileRef> attach(String uri) {
        return dir.attachment(new FileRef(uri, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "workspace:/workspace/.molecule/chat-uploads/abc-notes.txt",
            "file:///workspace/.molecule/chat-uploads/abc-notes.txt",
            "file://localhost/workspace/.molecule/chat-uploads/abc-notes.txt",
            "/workspace/.molecule/chat-uploads/abc-notes.txt",
            "/workspace/./.molecule//chat-uploads/abc-notes.txt"})
    void theThreeSpellingsOfAWorkspaceFileMapUnderTheRoot(String uri) {
        assertThat(attach(uri)).get().satisfies(f -> {
            assertThat(f.uri()).isEqualTo("workspace:/workspace/.molecule/chat-uploads/abc-notes.txt");
            assertThat(f.name()).isEqualTo("abc-notes.txt");
            assertThat(f.mimeType()).isEqualTo("text/plain");
        });
    }

    @Test
    void aFileUriIsDecodedAndTheCallersNameAndTypeAreKept() {
        assertThat(dir.attachment(new FileRef("file:///workspace/my%20report.csv", "Q3 report", "application/vnd.ms-excel")))
                .contains(new FileRef("workspace:/workspace/my report.csv", "Q3 report", "application/vnd.ms-excel"));
        assertThat(dir.attachment(new FileRef("workspace:/workspace/my report.csv", " ", "")))
                .contains(new FileRef("workspace:/workspace/my report.csv", "my report.csv", "text/csv"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "workspace:/workspace/../secret.txt",
            "/workspace/.molecule/../../secret.txt",
            "file:///workspace/%2e%2e/secret.txt",
            "/etc/passwd",
            "workspace:/configs/config.yaml",
            "file:///etc/passwd",
            "file://evil.example/workspace/my%20report.csv",
            "https://example.com/workspace/x.txt",
            "workspace/my report.csv",
            "/workspacex/my report.csv",
            "/workspace",
            "/workspace/",
            "/workspace/.molecule",
            "/workspace/missing.txt",
            "/workspace/my report.csv\u0000.png",
            "/workspace\\..\\secret.txt"})
    void anythingButAnExistingFileUnderTheRootNamesNoFile(String uri) {
        assertThat(attach(uri)).isEmpty();
        assertThat(dir.existing(uri)).isEmpty();
    }

    @Test
    void aSymlinkLeavingTheRootIsRefusedOneStayingInsideIsFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("escape.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outside"), tmp);
        Files.createSymbolicLink(root.resolve("alias.csv"), root.resolve("my report.csv"));

        assertThat(attach("/workspace/escape.txt")).isEmpty();
        assertThat(attach("/workspace/outside/secret.txt")).isEmpty();
        assertThat(attach("/workspace/alias.csv")).get().extracting(FileRef::path).isEqualTo("/workspace/alias.csv");
    }

    @Test
    void aMissingRootNamesNoFile() {
        assertThat(new WorkspaceDir(tmp.resolve("never-created")).attachment(new FileRef("/workspace/x.txt", null, null)))
                .isEmpty();
    }
}
