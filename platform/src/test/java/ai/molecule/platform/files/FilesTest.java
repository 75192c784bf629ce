package ai.molecule.platform.files;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Workspace files (spec §1.14): CRUD, replace-all, shared context, uploads, and every way out of the root refused. */
class FilesTest {
    private static final String ADMIN = "files-admin";
    static TestPlatform platform;
    static Http http;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN);
        http = platform.http();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String[] admin() {
        return new String[]{"Authorization", Http.bearer(ADMIN)};
    }

    private static String workspace() {
        return platform.createWorkspace("{\"name\":\"Files\"}", admin());
    }

    private static Path configDir(String id) {
        return platform.home().resolve("workspaces").resolve(id);
    }

    @Test
    void writeReadListAndDelete() {
        String ws = workspace();
        String base = "/workspaces/" + ws + "/files";
        Http.Response saved = http.put(base + "/skills/review/SKILL.md", "{\"content\":\"# Review\\nBe strict.\"}", admin());
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.json().get("status").asText()).isEqualTo("saved");
        assertThat(saved.json().get("needs_restart").asBoolean()).isTrue();
        assertThat(configDir(ws).resolve("skills/review/SKILL.md")).hasContent("# Review\nBe strict.");

        JsonNode file = http.get(base + "/skills/review/SKILL.md", admin()).json();
        assertThat(file.get("content").asText()).isEqualTo("# Review\nBe strict.");
        assertThat(file.get("size").asLong()).isEqualTo(19);

        List<String> depth1 = paths(http.get(base + "?depth=1", admin()).json());
        assertThat(depth1).contains("skills").doesNotContain("skills/review/SKILL.md");
        List<String> depth3 = paths(http.get(base + "?depth=3", admin()).json());
        assertThat(depth3).contains("skills", "skills/review", "skills/review/SKILL.md");
        List<String> lazy = paths(http.get(base + "?path=skills&depth=1", admin()).json());
        assertThat(lazy).containsExactly("skills/review");
        assertThat(http.get(base + "?depth=9", admin()).body()).isEqualTo("{\"error\":\"depth must be 1-5\"}");
        assertThat(http.get(base + "?root=/etc", admin()).json().get("error").asText())
                .isEqualTo("root must be one of: /configs, /workspace, /home, /plugins");

        assertThat(http.delete(base + "/skills/review/SKILL.md", admin()).json().get("status").asText()).isEqualTo("deleted");
        assertThat(http.get(base + "/skills/review/SKILL.md", admin()).status()).isEqualTo(404);
        assertThat(http.delete(base + "/skills/review/SKILL.md", admin()).body()).isEqualTo("{\"error\":\"file not found\"}");
    }

    @Test
    void writingConfigYamlChangesTheStoredConfig() {
        String ws = workspace();
        Http.Response r = http.put("/workspaces/" + ws + "/files/config.yaml",
                "{\"content\":\"model: scripted\\nsystem_prompt: Be brief.\\nskills: [review]\\n\"}", admin());
        assertThat(r.json().get("needs_restart").asBoolean()).isTrue();
        JsonNode data = http.get("/workspaces/" + ws + "/config", admin()).json().get("data");
        assertThat(data.get("system_prompt").asText()).isEqualTo("Be brief.");
        assertThat(data.get("skills").get(0).asText()).isEqualTo("review");

        Http.Response bad = http.put("/workspaces/" + ws + "/files/config.yaml", "{\"content\":\"- just\\n- a list\\n\"}", admin());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid config.yaml: config.yaml must be a YAML mapping");
        Http.Response tagged = http.put("/workspaces/" + ws + "/files/config.yaml",
                "{\"content\":\"x: !!javax.script.ScriptEngineManager [1]\\n\"}", admin());
        assertThat(tagged.status()).isEqualTo(400);
        assertThat(tagged.json().get("error").asText()).contains("is not allowed");
        assertThat(http.delete("/workspaces/" + ws + "/files/config.yaml", admin()).status()).isEqualTo(400);
    }

    @Test
    void traversalAndAbsolutePathsAreRefused() {
        String ws = workspace();
        String base = "/workspaces/" + ws + "/files";
        assertThat(http.get(base + "?path=../..", admin()).body()).isEqualTo("{\"error\":\"invalid path\"}");
        assertThat(http.get(base + "?path=%2Fetc", admin()).body()).isEqualTo("{\"error\":\"invalid path\"}");
        assertThat(http.get(base + "?path=a/../../b", admin()).body()).isEqualTo("{\"error\":\"invalid path\"}");
        // encoded in the URL path: refused at the edge or by the service, never served
        for (String p : List.of("/..%2F..%2Fsecrets.key", "/%2e%2e/%2e%2e/secrets.key", "/a/%2e%2e/%2e%2e/%2e%2e/secrets.key")) {
            Http.Response r = http.get(base + p, admin());
            assertThat(r.status()).as(p).isIn(400, 404);
            assertThat(r.body()).doesNotContain("BEGIN").doesNotContain("content");
        }
        Http.Response w = http.put(base + "/..%2Fescaped.txt", "{\"content\":\"x\"}", admin());
        assertThat(w.status()).isIn(400, 404);
        assertThat(configDir(ws).resolveSibling("escaped.txt")).doesNotExist();
        // the runtime's own token file is never served nor replaced
        assertThat(http.get(base + "/.auth_token", admin()).body()).isEqualTo("{\"error\":\"invalid path\"}");
        assertThat(http.put(base + "/.auth_token", "{\"content\":\"x\"}", admin()).status()).isEqualTo(400);
    }

    @Test
    void symlinksLeavingTheRootAreRefused() throws Exception {
        String ws = workspace();
        Path dir = configDir(ws);
        Files.createDirectories(dir);
        Path outside = Files.createTempDirectory("outside");
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(dir.resolve("link"), outside);
        Files.createSymbolicLink(dir.resolve("file-link"), outside.resolve("secret.txt"));
        String base = "/workspaces/" + ws + "/files";
        assertThat(http.get(base + "/link/secret.txt", admin()).body()).isEqualTo("{\"error\":\"invalid path\"}");
        assertThat(http.get(base + "/file-link", admin()).body()).isEqualTo("{\"error\":\"invalid path\"}");
        assertThat(http.put(base + "/link/new.txt", "{\"content\":\"planted\"}", admin()).body()).isEqualTo("{\"error\":\"invalid path\"}");
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(http.get(base + "?path=link", admin()).body()).isEqualTo("{\"error\":\"invalid path\"}");
        // listing shows the links themselves but never walks into them
        assertThat(paths(http.get(base + "?depth=5", admin()).json())).contains("link", "file-link").doesNotContain("link/secret.txt");
        // deleting a link removes the link, not its target
        assertThat(http.delete(base + "/file-link", admin()).status()).isEqualTo(400); // resolves outside: refused
        assertThat(outside.resolve("secret.txt")).hasContent("top secret");
    }

    @Test
    void oversizeFilesAreRefused() throws Exception {
        String ws = workspace();
        String big = "x".repeat((int) WorkspaceFileService.MAX_FILE_BYTES + 1);
        Http.Response w = http.put("/workspaces/" + ws + "/files/big.txt", "{\"content\":\"" + big + "\"}", admin());
        assertThat(w.status()).isEqualTo(413);
        assertThat(w.json().get("error").asText()).startsWith("file too large");
        Files.createDirectories(configDir(ws));
        Files.writeString(configDir(ws).resolve("huge.log"), big);
        assertThat(http.get("/workspaces/" + ws + "/files/huge.log", admin()).status()).isEqualTo(413);
    }

    @Test
    void replaceAllValidatesEveryPathFirstAndKeepsRuntimeFiles() throws Exception {
        String ws = workspace();
        Path dir = configDir(ws);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("old.md"), "old");
        Files.writeString(dir.resolve(".initial_prompt_done"), "");
        String base = "/workspaces/" + ws + "/files";
        Http.Response bad = http.put(base, "{\"files\":{\"good.md\":\"g\",\"../evil.md\":\"e\"}}", admin());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(dir.resolve("old.md")).exists();
        assertThat(dir.resolve("good.md")).doesNotExist();

        Http.Response ok = http.put(base, "{\"files\":{\"system-prompt.md\":\"You review code.\",\"skills/a/SKILL.md\":\"A\"}}", admin());
        assertThat(ok.json().get("status").asText()).isEqualTo("replaced");
        assertThat(ok.json().get("files").asInt()).isEqualTo(2);
        assertThat(dir.resolve("old.md")).doesNotExist();
        assertThat(dir.resolve(".initial_prompt_done")).exists();
        assertThat(dir.resolve("system-prompt.md")).hasContent("You review code.");
    }

    @Test
    void sharedContextServesTheListedFiles() {
        String ws = workspace();
        http.put("/workspaces/" + ws + "/files/config.yaml", "{\"content\":\"shared_context: [conventions.md, missing.md, ../x]\\n\"}", admin());
        http.put("/workspaces/" + ws + "/files/conventions.md", "{\"content\":\"Use tabs.\"}", admin());
        JsonNode shared = http.get("/workspaces/" + ws + "/shared-context", admin()).json();
        assertThat(shared.toString()).isEqualTo("[{\"path\":\"conventions.md\",\"content\":\"Use tabs.\"}]");
    }

    @Test
    void chatUploadAndDownload() {
        String ws = workspace();
        Http.Response r = http.upload("/workspaces/" + ws + "/chat/uploads", "../../notes <1>.txt", "text/plain", "hello upload",
                admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode file = r.json().get("files").get(0);
        String uri = file.get("uri").asText();
        assertThat(uri).matches("workspace:/workspace/\\.molecule/chat-uploads/[0-9a-f]{32}-notes__1_\\.txt");
        assertThat(file.get("size").asLong()).isEqualTo(12);
        assertThat(file.get("mimeType").asText()).isEqualTo("text/plain");

        String path = uri.substring("workspace:".length());
        Http.Response d = http.get("/workspaces/" + ws + "/chat/download?path=" + path, admin());
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.body()).isEqualTo("hello upload");
        assertThat(d.header("Content-Disposition")).startsWith("attachment");
        assertThat(http.get("/workspaces/" + ws + "/chat/download?path=/workspace/../../secrets.key", admin()).status()).isEqualTo(400);
        assertThat(http.get("/workspaces/" + ws + "/chat/download?path=/etc/passwd", admin()).status()).isEqualTo(400);
        assertThat(http.get("/workspaces/" + ws + "/chat/download?path=/workspace/nope.txt", admin()).status()).isEqualTo(404);
    }

    private static List<String> paths(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.get("path").asText()));
        return out;
    }
}
