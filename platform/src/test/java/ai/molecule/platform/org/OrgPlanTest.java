package ai.molecule.platform.org;

import ai.molecule.platform.yaml.SafeYaml;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The merge rules of spec agent-side §6.2 and the loader's !include and YAML safety, without a database. */
class OrgPlanTest {
    @TempDir
    Path dir;

    private OrgPlan plan(String orgYaml) throws Exception {
        Files.writeString(dir.resolve("org.yaml"), orgYaml);
        return OrgPlan.of(OrgTemplateLoader.load(dir), dir, null);
    }

    private static OrgPlan.Node node(OrgPlan p, String name) {
        return p.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void defaultsFillRuntimeModelAndTier() throws Exception {
        OrgPlan p = plan("""
                name: T
                defaults: {model: "openai:gpt-4o-mini", tier: 3}
                workspaces:
                  - name: A
                    children:
                      - {name: B, tier: 1, model: "scripted"}
                  - {name: C, runtime: claude-code}
                """);
        assertThat(node(p, "A").model()).isEqualTo("openai:gpt-4o-mini");
        assertThat(node(p, "A").tier()).isEqualTo(3);
        assertThat(node(p, "A").runtime()).isEqualTo("langgraph");
        assertThat(node(p, "B").model()).isEqualTo("scripted");
        assertThat(node(p, "B").tier()).isEqualTo(1);
        assertThat(node(p, "B").parent()).isEqualTo(p.nodes().indexOf(node(p, "A")));
        assertThat(node(p, "C").parent()).isEqualTo(-1);
        OrgPlan bare = plan("workspaces: [{name: X}, {name: Y, runtime: claude-code}]");
        assertThat(node(bare, "X").tier()).isEqualTo(2);
        assertThat(node(bare, "X").model()).isEqualTo("anthropic:claude-opus-4-7");
        assertThat(node(bare, "Y").model()).isEqualTo("sonnet");
    }

    @Test
    void pluginsAreTheUnionAndBangOrDashRemovesADefault() throws Exception {
        OrgPlan p = plan("""
                defaults: {plugins: [ecc, careful-bash, hitl]}
                workspaces:
                  - {name: A, plugins: [review, "!careful-bash", -hitl, ecc]}
                  - {name: B}
                """);
        assertThat(texts(node(p, "A").config().get("plugins"))).containsExactly("ecc", "review");
        assertThat(texts(node(p, "B").config().get("plugins"))).containsExactly("ecc", "careful-bash", "hitl");
    }

    @Test
    void categoryRoutingIsReplacedKeyByKeyAndEmptyDeletes() throws Exception {
        OrgPlan p = plan("""
                defaults:
                  category_routing: {security: [Backend], docs: [Lead], ui: [Frontend]}
                workspaces:
                  - name: A
                    category_routing: {security: [Security Reviewer, Backend], docs: [], infra: [Ops]}
                """);
        assertThat(node(p, "A").config().get("category_routing").toString())
                .isEqualTo("{\"security\":[\"Security Reviewer\",\"Backend\"],\"ui\":[\"Frontend\"],\"infra\":[\"Ops\"]}");
    }

    @Test
    void initialMemoriesAreTheNodesWhenItHasAnyElseTheDefaults() throws Exception {
        OrgPlan p = plan("""
                defaults:
                  initial_memories: [{content: shared, scope: team}]
                workspaces:
                  - {name: A, initial_memories: [{content: own}]}
                  - {name: B}
                global_memories: [{content: everyone}]
                """);
        assertThat(node(p, "A").initialMemories()).extracting("content", "scope").containsExactly(org.assertj.core.groups.Tuple.tuple("own", "LOCAL"));
        assertThat(node(p, "B").initialMemories()).extracting("content", "scope").containsExactly(org.assertj.core.groups.Tuple.tuple("shared", "TEAM"));
        assertThat(p.globalMemories()).extracting("scope").containsExactly("GLOBAL");
    }

    @Test
    void inlinePromptsBeatFilesAndFilesComeFromTheFilesDir() throws Exception {
        Files.createDirectories(dir.resolve("roles/a/schedules"));
        Files.writeString(dir.resolve("roles/a/initial.md"), "from a's folder");
        Files.writeString(dir.resolve("roles/a/schedules/pulse.md"), "pulse prompt");
        Files.writeString(dir.resolve("default-idle.md"), "default idle");
        OrgPlan p = plan("""
                defaults: {idle_prompt_file: default-idle.md, initial_prompt: default initial}
                workspaces:
                  - name: A
                    files_dir: roles/a
                    initial_prompt_file: initial.md
                    schedules: [{name: Pulse, cron_expr: "*/30 * * * *", prompt_file: schedules/pulse.md}]
                  - {name: B, initial_prompt: inline wins, initial_prompt_file: nowhere.md}
                """);
        assertThat(node(p, "A").config().get("initial_prompt").asText()).isEqualTo("from a's folder");
        assertThat(node(p, "A").config().get("idle_prompt").asText()).isEqualTo("default idle");
        assertThat(node(p, "A").schedules()).extracting("prompt", "timezone", "enabled")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pulse prompt", "UTC", true));
        assertThat(node(p, "B").config().get("initial_prompt").asText()).isEqualTo("inline wins");
    }

    @Test
    void envFilesBecomeSecretsAndExpandVariables() throws Exception {
        Files.createDirectories(dir.resolve("roles/a"));
        Files.writeString(dir.resolve(".env"), "# org-wide\nGITHUB_TOKEN=ghp_org\nexport REPO_DIR=\"/srv/repos\"\n");
        Files.writeString(dir.resolve("roles/a/.env"), "GITHUB_TOKEN=ghp_role_a\n");
        OrgPlan p = plan("""
                workspaces:
                  - {name: A, files_dir: roles/a, workspace_dir: "${REPO_DIR}/a"}
                  - {name: B}
                """);
        assertThat(node(p, "A").secrets()).containsEntry("GITHUB_TOKEN", "ghp_role_a").containsEntry("REPO_DIR", "/srv/repos");
        assertThat(node(p, "B").secrets()).containsEntry("GITHUB_TOKEN", "ghp_org");
        assertThat(node(p, "A").workspaceDir()).isEqualTo("/srv/repos/a");
        assertThatThrownBy(() -> plan("workspaces: [{name: A, workspace_dir: \"${NOT_DEFINED_ANYWHERE_XYZ}/a\"}]"))
                .hasMessageContaining("${NOT_DEFINED_ANYWHERE_XYZ} is not set");
    }

    @Test
    void requiredEnvIsTheUnionOverTheTree() throws Exception {
        OrgPlan p = plan("""
                required_env: [A_KEY, {any_of: [B_KEY, C_KEY]}]
                workspaces:
                  - name: A
                    required_env: [D_KEY, A_KEY]
                """);
        assertThat(OrgPlan.names(p.requiredEnv())).containsExactly("A_KEY", "B_KEY|C_KEY", "D_KEY");
    }

    @Test
    void includeReadsFilesRelativeToTheIncluderInsideTheTemplate() throws Exception {
        Files.createDirectories(dir.resolve("teams/eng"));
        Files.writeString(dir.resolve("teams/eng.yaml"), "name: Lead\nchildren:\n  - !include eng/dev.yaml\n");
        Files.writeString(dir.resolve("teams/eng/dev.yaml"), "name: Dev\nrole: builds\n");
        OrgPlan p = plan("workspaces:\n  - name: Boss\n    children:\n      - !include teams/eng.yaml\n");
        assertThat(p.nodes()).extracting("name").containsExactly("Boss", "Lead", "Dev");
        assertThat(node(p, "Dev").parent()).isEqualTo(1);
        assertThat(node(p, "Dev").role()).isEqualTo("builds");
    }

    @Test
    void includeCannotLeaveTheTemplateOrLoop() throws Exception {
        Path outside = Files.createTempFile("outside", ".yaml");
        Files.writeString(outside, "name: Stolen\n");
        assertThatThrownBy(() -> plan("workspaces:\n  - !include ../" + outside.getFileName() + "\n"))
                .hasMessageContaining("must stay inside the template folder");
        assertThatThrownBy(() -> plan("workspaces:\n  - !include " + outside + "\n"))
                .hasMessageContaining("must stay inside the template folder");
        Files.createSymbolicLink(dir.resolve("link.yaml"), outside);
        assertThatThrownBy(() -> plan("workspaces:\n  - !include link.yaml\n"))
                .hasMessageContaining("must stay inside the template folder");
        Files.writeString(dir.resolve("a.yaml"), "name: A\nchildren: [!include b.yaml]\n");
        Files.writeString(dir.resolve("b.yaml"), "name: B\nchildren: [!include a.yaml]\n");
        assertThatThrownBy(() -> plan("workspaces: [!include a.yaml]")).hasMessageContaining("!include cycle");
    }

    @Test
    void yamlBombsAndForeignTagsAreRefused() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                """;
        assertThatThrownBy(() -> SafeYaml.parse(bomb)).isInstanceOf(SafeYaml.Invalid.class);
        // fewer aliases but still exponential: stopped by the node cap
        String wide = "a: &a [" + "x,".repeat(10) + "x]\nb: &b [" + "*a,".repeat(10) + "*a]\nc: &c [" + "*b,".repeat(10) + "*b]\n"
                + "d: &d [" + "*c,".repeat(10) + "*c]\ne: [" + "*d,".repeat(10) + "*d]\n";
        assertThatThrownBy(() -> SafeYaml.parse(wide)).isInstanceOf(SafeYaml.Invalid.class).hasMessageContaining("nodes");
        assertThatThrownBy(() -> SafeYaml.parse("x: !!java.net.URL [\"http://example.com\"]")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> SafeYaml.parse("x: " + "[".repeat(200) + "]".repeat(200))).isInstanceOf(SafeYaml.Invalid.class);
        assertThatThrownBy(() -> SafeYaml.parse("k: " + "x".repeat(SafeYaml.MAX_CHARS))).hasMessageContaining("larger");
        assertThatThrownBy(() -> SafeYaml.parse("a: 1\na: 2\n")).hasMessageContaining("duplicate key a");
        JsonNode ok = SafeYaml.parse("n: 3\nf: 1.5\nb: yes\ns: '007'\nnull_: ~\n");
        assertThat(ok.toString()).isEqualTo("{\"n\":3,\"f\":1.5,\"b\":true,\"s\":\"007\",\"null_\":null}");
    }

    @Test
    void badShapesNameThePlace() {
        assertThatThrownBy(() -> plan("workspaces: [{name: A, children: [{role: nameless}]}]"))
                .hasMessage("workspaces[0].children[0].name is required");
        assertThatThrownBy(() -> plan("workspaces: [{name: A, tier: high}]")).hasMessage("workspaces[0].tier must be an integer");
        assertThatThrownBy(() -> plan("workspaces: [{name: A, schedules: [{name: s, cron_expr: daily, prompt: p}]}]"))
                .hasMessage("workspaces[0].schedules[0].cron_expr must have 5 fields");
        assertThatThrownBy(() -> plan("workspaces: [{name: A, children: [{name: B}, {name: B}]}]"))
                .hasMessageContaining("two children named B");
        assertThatThrownBy(() -> plan("name: nothing")).hasMessage("workspaces must be a non-empty list");
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
