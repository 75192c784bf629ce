package ai.molecule.platform.plugins;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.RuleEchoModel;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Plugins (spec §1.15) over real HTTP, with real config dirs and, where it matters, a running embedded agent. */
class PluginsTest {
    private static final String ADMIN = "plugins-admin";

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** A plugin in the operator's own plugin folder (MOLECULE_HOME/plugins/user). */
    private static Path userPlugin(TestPlatform platform, String name) {
        return platform.home().resolve("plugins/user").resolve(name);
    }

    private static List<String> names(JsonNode array) {
        return array.findValuesAsText("name");
    }

    private static String install(String source) {
        return "{\"source\":\"" + source + "\"}";
    }

    @Test
    void theRegistryListsShippedPluginsAndFiltersByRuntime() {
        try (TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN)) {
            Http http = platform.http();
            JsonNode all = http.get("/plugins").json();
            assertThat(names(all)).containsExactly("careful-git", "code-review-checklist", "plain-writing");
            JsonNode git = all.get(0);
            assertThat(git.path("version").asText()).isEqualTo("1.0.0");
            assertThat(git.path("skills").toString()).isEqualTo("[\"careful-git\"]");
            assertThat(git.path("runtimes").toString()).isEqualTo("[]");
            assertThat(git.path("author").asText()).isEqualTo("Molecule");
            assertThat(git.path("tags").toString()).contains("git");

            assertThat(names(http.get("/plugins?runtime=claude-code").json())).contains("plain-writing");
            assertThat(names(http.get("/plugins?runtime=crewai").json()))
                    .containsExactly("careful-git", "code-review-checklist");
            assertThat(http.get("/plugins/sources").json().toString()).isEqualTo("{\"schemes\":[\"local\"]}");
        }
    }

    @Test
    void anInstalledPluginReachesTheRunningAgentWithoutARestartAndLeavesOnUninstall() throws Exception {
        try (RuleEchoModel model = RuleEchoModel.start();
             TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded")) {
            Agents agents = new Agents(platform, ADMIN);
            Http http = platform.http();
            write(userPlugin(platform, "house-rules").resolve("plugin.yaml"), "name: house-rules\nversion: 0.1.0\n");
            write(userPlugin(platform, "house-rules").resolve("rules/tickets.md"), "RULE: cite the ticket number");
            write(userPlugin(platform, "house-rules").resolve("tone.md"), "RULE: be brief");
            String ws = agents.create("{\"name\":\"Plugged\",\"model\":\"openai-compatible:fake\","
                    + "\"secrets\":{\"OPENAI_COMPATIBLE_BASE_URL\":\"" + model.baseUrl() + "\",\"SKILL_WATCH_INTERVAL_SECONDS\":\"0.2\"}}");
            agents.awaitStatus(ws, "online");
            assertThat(RuleEchoModel.ask(agents, ws)).isEqualTo("rule: none");
            assertThat(http.get("/workspaces/" + ws + "/plugins", agents.admin()).json().size()).isZero();
            long starts = RuleEchoModel.provisionings(http, agents);

            Http.Response r = http.post("/workspaces/" + ws + "/plugins", install("local://house-rules"), agents.admin());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().toString()).isEqualTo("{\"status\":\"installed\",\"plugin\":\"house-rules\",\"source\":\"local://house-rules\"}");
            assertThat(http.post("/workspaces/" + ws + "/plugins", install("careful-git"), agents.admin()).status()).isEqualTo(200);
            Path installed = platform.home().resolve("workspaces").resolve(ws).resolve("plugins");
            assertThat(installed.resolve("house-rules/rules/tickets.md")).hasContent("RULE: cite the ticket number");
            assertThat(installed.resolve("careful-git/skills/careful-git/SKILL.md")).exists();

            // rules before fragments, as upstream's "Platform Rules" then "Platform Guidelines"
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    RuleEchoModel.ask(agents, ws).equals("rule: cite the ticket number; be brief"));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    agents.workspace(ws).path("agent_card").toString().contains("careful-git"));
            assertThat(RuleEchoModel.provisionings(http, agents)).as("no restart").isEqualTo(starts);
            JsonNode listed = http.get("/workspaces/" + ws + "/plugins", agents.admin()).json();
            assertThat(names(listed)).containsExactly("careful-git", "house-rules");
            assertThat(listed.findValuesAsText("supported_on_runtime")).containsOnly("true");

            r = http.delete("/workspaces/" + ws + "/plugins/house-rules", agents.admin());
            assertThat(r.json().toString()).isEqualTo("{\"status\":\"uninstalled\",\"plugin\":\"house-rules\"}");
            assertThat(installed.resolve("house-rules")).doesNotExist();
            await().atMost(Duration.ofSeconds(20)).until(() -> RuleEchoModel.ask(agents, ws).equals("rule: none"));
            assertThat(agents.workspace(ws).path("agent_card").toString()).contains("careful-git");
            assertThat(http.delete("/workspaces/" + ws + "/plugins/house-rules", agents.admin()).status()).isEqualTo(404);
        }
    }

    @Test
    void downloadIsAGzipTarballOfThePlugin() throws Exception {
        try (TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN)) {
            Agents agents = new Agents(platform, ADMIN);
            String ws = agents.create("{\"name\":\"Remote\"}");
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(platform.http().base() + "/workspaces/" + ws + "/plugins/careful-git/download"))
                    .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/gzip");
            assertThat(r.headers().firstValue("X-Plugin-Name")).hasValue("careful-git");
            assertThat(r.headers().firstValue("X-Plugin-Source")).hasValue("local://careful-git");

            Path out = Files.createTempDirectory("plugin-download");
            Path archive = out.resolve("p.tar.gz");
            Files.write(archive, r.body());
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", out.toString()).redirectErrorStream(true).start();
            String tarOutput = new String(tar.getInputStream().readAllBytes());
            assertThat(tar.waitFor()).as(tarOutput).isZero();
            Path shipped = platform.home().resolve("plugins/shipped/careful-git");
            for (String f : List.of("plugin.yaml", "skills/careful-git/SKILL.md")) {
                assertThat(Files.readAllBytes(out.resolve("careful-git").resolve(f))).isEqualTo(Files.readAllBytes(shipped.resolve(f)));
            }

            // a path longer than ustar's 100-byte name field goes through its prefix field
            String deepFile = "skills/" + "d".repeat(60) + "/references/" + "r".repeat(60) + ".md";
            write(userPlugin(platform, "deep").resolve("plugin.yaml"), "name: deep\n");
            write(userPlugin(platform, "deep").resolve(deepFile), "DEEP");
            HttpResponse<byte[]> deep = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(platform.http().base() + "/workspaces/" + ws + "/plugins/deep/download"))
                    .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(deep.statusCode()).isEqualTo(200);
            Files.write(archive, deep.body());
            tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", out.toString()).redirectErrorStream(true).start();
            tarOutput = new String(tar.getInputStream().readAllBytes());
            assertThat(tar.waitFor()).as(tarOutput).isZero();
            assertThat(out.resolve("deep").resolve(deepFile)).hasContent("DEEP");

            Http http = platform.http();
            assertThat(http.get("/workspaces/" + ws + "/plugins/careful-git/download?source=local://plain-writing", agents.admin()).status())
                    .isEqualTo(400);
            assertThat(http.get("/workspaces/" + ws + "/plugins/nope/download", agents.admin()).json().path("error").asText())
                    .isEqualTo("plugin \"nope\" not found");
        }
    }

    @Test
    void theOrgAllowlistLimitsWhatItsWorkspacesInstall() {
        try (TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN)) {
            Agents agents = new Agents(platform, ADMIN);
            Http http = platform.http();
            String org = agents.create("{\"name\":\"Org\"}");
            String child = agents.create("{\"name\":\"Dev\",\"parent_id\":\"" + org + "\"}");
            String allowlist = "/orgs/" + org + "/plugins/allowlist";

            assertThat(http.get(allowlist, agents.admin()).json().path("allow_all").asBoolean()).isTrue();
            assertThat(http.get(allowlist).status()).isEqualTo(401);
            Http.Response r = http.put(allowlist, "{\"plugins\":[\"careful-git\"],\"enabled_by\":\"alice\"}", agents.admin());
            assertThat(r.json().toString()).isEqualTo("{\"org_id\":\"" + org + "\",\"plugins\":[\"careful-git\"],\"allow_all\":false}");
            JsonNode got = http.get(allowlist, agents.admin()).json();
            assertThat(got.at("/plugins/0/plugin_name").asText()).isEqualTo("careful-git");
            assertThat(got.at("/plugins/0/enabled_by").asText()).isEqualTo("alice");
            assertThat(got.at("/plugins/0/enabled_at").asText()).isNotEmpty();

            r = http.post("/workspaces/" + child + "/plugins", install("local://code-review-checklist"), agents.admin());
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().path("error").asText()).isEqualTo("plugin \"code-review-checklist\" is not in the org allowlist");
            assertThat(http.post("/workspaces/" + child + "/plugins", install("local://careful-git"), agents.admin()).status()).isEqualTo(200);

            assertThat(http.put(allowlist, "{\"plugins\":[]}", agents.admin()).json().path("error").asText()).isEqualTo("enabled_by is required");
            assertThat(http.put(allowlist, "{\"plugins\":[\"../x\"],\"enabled_by\":\"a\"}", agents.admin()).status()).isEqualTo(400);
            assertThat(http.get("/orgs/" + child + "/plugins/allowlist", agents.admin()).json().path("error").asText()).isEqualTo("org not found");
            assertThat(http.put(allowlist, "{\"plugins\":[],\"enabled_by\":\"alice\"}", agents.admin()).json().path("allow_all").asBoolean()).isTrue();
            assertThat(http.post("/workspaces/" + child + "/plugins", install("local://code-review-checklist"), agents.admin()).status()).isEqualTo(200);
        }
    }

    @Test
    void badSourcesNamesAndOversizedPluginsAreRefused() throws Exception {
        try (TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "PLUGIN_INSTALL_MAX_DIR_BYTES", "4096")) {
            Agents agents = new Agents(platform, ADMIN);
            Http http = platform.http();
            String ws = agents.create("{\"name\":\"Target\"}");
            String plugins = "/workspaces/" + ws + "/plugins";
            write(platform.home().resolve("secret.md"), "SECRET");
            write(userPlugin(platform, "evil").resolve("plugin.yaml"), "name: evil\nrules: [../../../secret.md]\n");
            write(userPlugin(platform, "renamed").resolve("plugin.yaml"), "name: something-else\n");
            write(userPlugin(platform, "big").resolve("plugin.yaml"), "name: big\n");
            write(userPlugin(platform, "big").resolve("rules/huge.md"), "x".repeat(10_000));
            assertThat(names(http.get("/plugins").json())).contains("big").doesNotContain("evil", "renamed", "something-else");

            record Case(String body, int status, String error) {
            }
            for (Case c : List.of(
                    new Case("{}", 400, "source is required"),
                    new Case("not json", 400, "invalid request body"),
                    new Case(install("local://../../etc"), 400, "invalid plugin name"),
                    new Case(install("../careful-git"), 400, "invalid plugin name"),
                    new Case(install("local://evil"), 404, "plugin \"evil\" not found"),
                    new Case(install("local://nope"), 404, "plugin \"nope\" not found"),
                    new Case(install("ftp://host/x"), 400, "unsupported plugin source scheme: ftp (supported: local)"),
                    new Case(install("github://owner/repo"), 422, "unpinned github source: github://owner/repo (pin a tag or commit with #<ref>)"),
                    new Case("{\"source\":\"careful-git\",\"sha256\":\"abc\"}", 400, "sha256 must be 64 hex characters"),
                    new Case(install("local://big"), 413, "plugin too large (max 4096 bytes)"))) {
                Http.Response r = http.post(plugins, c.body(), agents.admin());
                assertThat(r.status()).as(c.body() + " -> " + r).isEqualTo(c.status());
                assertThat(r.json().path("error").asText()).as(c.body()).isEqualTo(c.error());
            }
            Http.Response pinned = http.post(plugins, install("github://owner/repo#v1"), agents.admin());
            assertThat(pinned.status()).isEqualTo(400);
            assertThat(pinned.json().path("error").asText()).startsWith("github sources are not supported");
            Path configPlugins = platform.home().resolve("workspaces").resolve(ws).resolve("plugins");
            assertThat(configPlugins.resolve("big")).doesNotExist();
            try (var left = Files.list(configPlugins)) {
                assertThat(left.toList()).as("no staging folder left behind").isEmpty();
            }

            String wrong = "0".repeat(64);
            Http.Response mismatch = http.post(plugins, "{\"source\":\"careful-git\",\"sha256\":\"" + wrong + "\"}", agents.admin());
            assertThat(mismatch.status()).isEqualTo(422);
            assertThat(mismatch.json().path("error").asText()).startsWith("sha256 mismatch: expected " + wrong + ", got ");
            String right = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    Files.readAllBytes(platform.home().resolve("plugins/shipped/careful-git/plugin.yaml"))));
            assertThat(http.post(plugins, "{\"source\":\"careful-git\",\"sha256\":\"" + right + "\"}", agents.admin()).status()).isEqualTo(200);

            assertThat(http.delete(plugins + "/..", agents.admin()).status()).isIn(400, 404);
            assertThat(http.delete(plugins + "/%2E%2E", agents.admin()).status()).isIn(400, 404);
            assertThat(http.delete(plugins + "/Bad%20Name", agents.admin()).json().path("error").asText()).isEqualTo("invalid plugin name");
            assertThat(configPlugins.resolve("careful-git")).exists();
            assertThat(http.post(plugins, install("careful-git")).status()).isEqualTo(401);
            assertThat(http.post("/workspaces/" + java.util.UUID.randomUUID() + "/plugins", install("careful-git"), agents.admin()).status())
                    .isEqualTo(404);
        }
    }

    @Test
    void compatibilitySplitsInstalledPluginsByTargetRuntime() {
        try (TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN)) {
            Agents agents = new Agents(platform, ADMIN);
            Http http = platform.http();
            String ws = agents.create("{\"name\":\"Switcher\"}");
            for (String p : List.of("careful-git", "plain-writing")) {
                assertThat(http.post("/workspaces/" + ws + "/plugins", install(p), agents.admin()).status()).isEqualTo(200);
            }
            JsonNode c = http.get("/workspaces/" + ws + "/plugins/compatibility?runtime=crewai", agents.admin()).json();
            assertThat(c.path("target_runtime").asText()).isEqualTo("crewai");
            assertThat(names(c.path("compatible"))).containsExactly("careful-git");
            assertThat(names(c.path("incompatible"))).containsExactly("plain-writing");
            assertThat(c.path("all_compatible").asBoolean()).isFalse();
            assertThat(http.get("/workspaces/" + ws + "/plugins/compatibility?runtime=claude-code", agents.admin()).json()
                    .path("all_compatible").asBoolean()).isTrue();
            Http.Response missing = http.get("/workspaces/" + ws + "/plugins/compatibility", agents.admin());
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.json().path("error").asText()).isEqualTo("runtime query parameter is required");
            assertThat(names(http.get("/workspaces/" + ws + "/plugins/available", agents.admin()).json()))
                    .containsExactly("careful-git", "code-review-checklist", "plain-writing");
        }
    }
}
