package ai.molecule.platform.provisioner;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static ai.molecule.platform.testkit.Agents.rpc;
import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MOLECULE_PROVISIONER=process: a real child JVM per workspace ({@code ai.molecule.runtime.Main}
 * on the test JVM's class path), registering itself on its own loopback port.
 */
class ProcessProvisionerTest {
    private static final String ADMIN = "process-admin";

    static TestPlatform platform;
    static Http http;
    static Agents agents;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "process");
        http = platform.http();
        agents = new Agents(platform, ADMIN);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** The child JVM of this workspace: the runtime main class, the workspace id in its environment. */
    private static Optional<ProcessHandle> child(String id) {
        return ProcessHandle.current().children()
                .filter(p -> procEntries(p.pid(), "cmdline").contains(ProcessProvisioner.RUNTIME_MAIN))
                .filter(p -> procEntries(p.pid(), "environ").contains("WORKSPACE_ID=" + id))
                .findFirst();
    }

    /**
     * The NUL-separated entries of /proc/&lt;pid&gt;/cmdline or environ (ProcessHandle.Info gives no
     * command line when it is as long as a surefire class path).
     */
    private static java.util.List<String> procEntries(long pid, String file) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + pid + "/" + file));
            return java.util.List.of(new String(raw).split("\0"));
        } catch (java.io.IOException gone) {
            return java.util.List.of();
        }
    }

    /**
     * Old rows (written before keys were checked, simulated in SQL as version-0 plaintext) that
     * would change how the child starts never reach it, and the fixed variables win over secrets.
     */
    @Test
    void storedProcessStartingSecretsNeverReachTheChildAndFixedVariablesWin() throws Exception {
        String id = agents.create("{\"name\":\"Env\",\"model\":\"scripted\"}");
        agents.awaitStatus(id, "online");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(platform.databaseUrl());
             java.sql.PreparedStatement s = c.prepareStatement("""
                     INSERT INTO workspace_secrets (workspace_id, key, encrypted_value, encryption_version)
                     VALUES (?::uuid, ?, ?, 0)""")) {
            for (String[] kv : new String[][]{{"JAVA_TOOL_OPTIONS", "-Dmolecule.injected=1"}, {"LD_PRELOAD", "/tmp/evil.so"},
                    {"PATH", "/tmp/evil"}, {"WORKSPACE_ID", "00000000-0000-0000-0000-000000000000"},
                    {"PLATFORM_URL", "http://evil.example"}, {"PORT", "1"}, {"HARMLESS", "kept"}, {"MOLECULE_WORKSPACE_DIR", "/"}}) {
                s.setString(1, id);
                s.setString(2, kv[0]);
                s.setBytes(3, kv[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                s.executeUpdate();
            }
        }
        long before = child(id).orElseThrow().pid();
        assertThat(http.post("/workspaces/" + id + "/restart", null, agents.admin()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> child(id).filter(p -> p.pid() != before).isPresent());
        agents.awaitStatus(id, "online");
        await("the restart context reached the agent (it holds the one slot meanwhile)").atMost(Duration.ofSeconds(20))
                .until(() -> agents.activity(id, "a2a_receive").stream().anyMatch(a -> a.toString().contains("restart_context")));
        java.util.List<String> env = procEntries(child(id).orElseThrow().pid(), "environ");
        assertThat(env).noneMatch(e -> e.startsWith("JAVA_TOOL_OPTIONS=") || e.startsWith("LD_PRELOAD="));
        assertThat(env).contains("WORKSPACE_ID=" + id, "HARMLESS=kept").doesNotContain("PATH=/tmp/evil", "PORT=1",
                "PLATFORM_URL=http://evil.example");
        assertThat(env).as("the dir chat uploads land in is the agent's /workspace, whatever the secrets say")
                .contains("MOLECULE_WORKSPACE_DIR=" + platform.home().resolve("workspace-files").resolve(id).toAbsolutePath());
        Http.Response console = http.get("/workspaces/" + id + "/console", agents.admin());
        assertThat(console.body()).doesNotContain("Picked up JAVA_TOOL_OPTIONS");
        Http.Response reply = agents.a2a(id, send("still me"));
        assertThat(reply.json().at("/result/parts/0/text").asText()).as(reply.toString()).isEqualTo("echo: still me");
    }

    @Test
    void aWorkspaceRunsInItsOwnJvmAndStopsWithIt() {
        String id = agents.create("{\"name\":\"Proc\",\"model\":\"scripted\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> child(id).isPresent());
        ProcessHandle jvm = child(id).orElseThrow();
        agents.awaitStatus(id, "online");

        String url = agents.workspace(id).get("url").asText();
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");
        Http.Response proxied = agents.a2a(id, send("over the proxy"));
        assertThat(proxied.status()).as(proxied.toString()).isEqualTo(200);
        assertThat(proxied.json().at("/result/parts/0/text").asText()).isEqualTo("echo: over the proxy");

        Http.Response direct = new Http(url).post("/", rpc("message/send", "{\"message\":{\"role\":\"user\",\"messageId\":\"d1\","
                + "\"parts\":[{\"kind\":\"text\",\"text\":\"straight in\"}]}}"));
        assertThat(direct.json().at("/result/parts/0/text").asText()).isEqualTo("echo: straight in");
        assertThat(agents.activity(id, "a2a_receive")).as("only the proxied call is logged").hasSize(1);

        Http.Response console = http.get("/workspaces/" + id + "/console", agents.admin());
        assertThat(console.status()).isEqualTo(200);
        assertThat(console.json().get("output").asText()).contains("started with model scripted");
        assertThat(http.get("/workspaces/" + id + "/console").status()).as("admin only").isEqualTo(401);

        Http.Response deleted = http.delete("/workspaces/" + id + "?confirm=true", agents.admin());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !jvm.isAlive());
        assertThat(agents.status(id)).isEqualTo("removed");
    }

    @Test
    void theConsoleOfAWorkspaceWithoutProcessIsUnavailable() {
        String ext = agents.create("{\"name\":\"NoProc\",\"external\":true}");
        Http.Response r = http.get("/workspaces/" + ext + "/console", agents.admin());
        assertThat(r.status()).isEqualTo(501);
        assertThat(r.json().get("error").asText()).isEqualTo("console output unavailable on this deployment (no control plane)");
    }
}
