package ai.molecule.platform.org;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /org/import and GET /org/templates (spec §1.13) against a real database: all or nothing, 412, re-import. */
class OrgImportTest {
    private static final String ADMIN = "org-admin";
    TestPlatform platform;
    Http http;
    Jdbi db;
    Path templates;

    @BeforeEach
    void start() throws Exception {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN);
        http = platform.http();
        db = Jdbi.create(platform.databaseUrl());
        templates = Files.createDirectories(platform.home().resolve("org-templates"));
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    private String[] admin() {
        return new String[]{"Authorization", Http.bearer(ADMIN)};
    }

    private static final String ORG = """
            name: Acme
            description: test org
            required_env: [GITHUB_TOKEN]
            defaults:
              model: scripted
              plugins: [ecc, careful-bash]
              category_routing: {security: [Sec], docs: [Lead]}
              initial_memories: [{content: "team rule", scope: TEAM}]
            global_memories: [{content: "we ship on Fridays"}]
            workspaces:
              - name: Boss
                role: Runs it
                files_dir: roles/boss
                max_concurrent_tasks: 3
                workspace_dir: "${REPO_ROOT}/boss"
                schedules:
                  - {name: Pulse, cron_expr: "*/30 * * * *", prompt_file: schedules/pulse.md}
                channels: [{type: telegram, config: {bot_token: x}}]
                children:
                  - !include teams/lead.yaml
                  - name: Sec
                    plugins: ["!careful-bash", hitl]
                    category_routing: {docs: []}
            """;

    private Path writeOrg(String dir, String orgYaml) throws Exception {
        Path t = Files.createDirectories(templates.resolve(dir));
        Files.writeString(t.resolve("org.yaml"), orgYaml);
        Files.createDirectories(t.resolve("roles/boss/schedules"));
        Files.createDirectories(t.resolve("roles/boss/skills/plan"));
        Files.createDirectories(t.resolve("teams"));
        Files.writeString(t.resolve(".env"), "GITHUB_TOKEN=ghp_from_env_file\nREPO_ROOT=/srv/acme\n");
        Files.writeString(t.resolve("roles/boss/system-prompt.md"), "You are the boss.");
        Files.writeString(t.resolve("roles/boss/skills/plan/SKILL.md"), "---\nname: plan\ndescription: plans\n---\nPlan it.");
        Files.writeString(t.resolve("roles/boss/schedules/pulse.md"), "Check on the team.");
        Files.writeString(t.resolve("roles/boss/.env"), "BOSS_ONLY=b1\n");
        Files.writeString(t.resolve("teams/lead.yaml"), "name: Lead\nrole: Leads\ntier: 3\nchildren:\n  - {name: Dev, initial_memories: [{content: dev note}]}\n");
        return t;
    }

    private Map<String, UUID> ids() {
        return db.withHandle(h -> {
            Map<String, UUID> m = new java.util.HashMap<>();
            h.createQuery("SELECT name, id FROM workspaces WHERE status <> 'removed'")
                    .map((rs, c) -> m.put(rs.getString(1), rs.getObject(2, UUID.class))).list();
            return m;
        });
    }

    private UUID parentOf(UUID id) {
        return db.withHandle(h -> h.createQuery("SELECT parent_id FROM workspaces WHERE id = :id").bind("id", id)
                .mapTo(UUID.class).findOne().orElse(null));
    }

    private JsonNode config(UUID id) {
        return http.get("/workspaces/" + id + "/config", admin()).json().get("data");
    }

    private int count(String table) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }

    private List<String> rows(String sql, UUID id) {
        return db.withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(String.class).list());
    }

    @Test
    void importCreatesTheWholeTree() throws Exception {
        writeOrg("acme", ORG);
        Http.Response r = http.post("/org/import", "{\"dir\":\"acme\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("org").asText()).isEqualTo("Acme");
        assertThat(r.json().get("count").asInt()).isEqualTo(4);
        assertThat(r.json().get("workspaces").get(0).get("channels_skipped").get(0).get("type").asText()).isEqualTo("telegram");

        Map<String, UUID> ids = ids();
        assertThat(ids).containsOnlyKeys("Boss", "Lead", "Dev", "Sec");
        assertThat(parentOf(ids.get("Boss"))).isNull();
        assertThat(parentOf(ids.get("Lead"))).isEqualTo(ids.get("Boss"));
        assertThat(parentOf(ids.get("Dev"))).isEqualTo(ids.get("Lead"));
        assertThat(parentOf(ids.get("Sec"))).isEqualTo(ids.get("Boss"));

        JsonNode boss = http.get("/workspaces/" + ids.get("Boss"), admin()).json();
        assertThat(boss.get("tier").asInt()).isEqualTo(2);
        assertThat(boss.get("max_concurrent_tasks").asInt()).isEqualTo(3);
        assertThat(http.get("/workspaces/" + ids.get("Lead"), admin()).json().get("tier").asInt()).isEqualTo(3);
        assertThat(rows("SELECT workspace_dir FROM workspaces WHERE id = :id", ids.get("Boss"))).containsExactly("/srv/acme/boss");

        assertThat(config(ids.get("Boss")).get("plugins").toString()).isEqualTo("[\"ecc\",\"careful-bash\"]");
        assertThat(config(ids.get("Sec")).get("plugins").toString()).isEqualTo("[\"ecc\",\"hitl\"]");
        assertThat(config(ids.get("Sec")).get("category_routing").toString()).isEqualTo("{\"security\":[\"Sec\"]}");
        assertThat(config(ids.get("Dev")).get("model").asText()).isEqualTo("scripted");

        // the role folder became the config dir; its .env did not
        Path bossDir = platform.home().resolve("workspaces").resolve(ids.get("Boss").toString());
        assertThat(bossDir.resolve("system-prompt.md")).hasContent("You are the boss.");
        assertThat(bossDir.resolve("skills/plan/SKILL.md")).exists();
        assertThat(bossDir.resolve(".env")).doesNotExist();

        assertThat(rows("SELECT key FROM workspace_secrets WHERE workspace_id = :id ORDER BY key", ids.get("Boss")))
                .containsExactly("BOSS_ONLY", "GITHUB_TOKEN", "REPO_ROOT");
        assertThat(rows("SELECT key FROM workspace_secrets WHERE workspace_id = :id ORDER BY key", ids.get("Dev")))
                .containsExactly("GITHUB_TOKEN", "REPO_ROOT");

        assertThat(rows("SELECT name || '|' || cron_expr || '|' || prompt || '|' || source FROM workspace_schedules WHERE workspace_id = :id", ids.get("Boss")))
                .containsExactly("Pulse|*/30 * * * *|Check on the team.|template");
        assertThat(rows("SELECT scope || ':' || content FROM agent_memories WHERE workspace_id = :id ORDER BY scope", ids.get("Boss")))
                .containsExactly("GLOBAL:we ship on Fridays", "TEAM:team rule");
        assertThat(rows("SELECT scope || ':' || content FROM agent_memories WHERE workspace_id = :id", ids.get("Dev")))
                .containsExactly("LOCAL:dev note");

        JsonNode listed = http.get("/org/templates", admin()).json();
        JsonNode acme = null;
        for (JsonNode t : listed) if (t.get("dir").asText().equals("acme")) acme = t;
        assertThat(acme).isNotNull();
        assertThat(acme.get("workspaces").asInt()).isEqualTo(4);
        assertThat(acme.get("required_env").toString()).isEqualTo("[\"GITHUB_TOKEN\"]");
        List<String> dirs = new ArrayList<>();
        listed.forEach(t -> dirs.add(t.get("dir").asText()));
        assertThat(dirs).contains("demo", "software-team", "research-desk", "support-desk");
    }

    @Test
    void missingRequiredEnvIs412UnlessForced() throws Exception {
        Path t = writeOrg("needs", ORG.replace("required_env: [GITHUB_TOKEN]", "required_env: [GITHUB_TOKEN, {any_of: [OPENAI_API_KEY, ANTHROPIC_API_KEY]}, SLACK_TOKEN]"));
        Http.Response r = http.post("/org/import", "{\"dir\":\"needs\"}", admin());
        assertThat(r.status()).isEqualTo(412);
        assertThat(r.json().get("error").asText()).isEqualTo("missing required environment variables");
        assertThat(r.json().get("missing_env").toString()).isEqualTo("[\"OPENAI_API_KEY|ANTHROPIC_API_KEY\",\"SLACK_TOKEN\"]");
        assertThat(r.json().get("template").asText()).isEqualTo("needs");
        assertThat(r.json().has("suggestion")).isTrue();
        assertThat(ids()).isEmpty();

        http.put("/settings/secrets", "{\"key\":\"SLACK_TOKEN\",\"value\":\"xoxb\"}", admin());
        http.put("/settings/secrets", "{\"key\":\"ANTHROPIC_API_KEY\",\"value\":\"sk-ant\"}", admin());
        assertThat(http.post("/org/import", "{\"dir\":\"needs\"}", admin()).status()).isEqualTo(201);
        assertThat(t).exists();

        Files.writeString(templates.resolve("needs/org.yaml"), "required_env: [NEVER_SET]\nworkspaces: [{name: Solo, model: scripted}]\n");
        assertThat(http.post("/org/import", "{\"dir\":\"needs\"}", admin()).status()).isEqualTo(412);
        assertThat(http.post("/org/import", "{\"dir\":\"needs\",\"force\":true}", admin()).status()).isEqualTo(201);
    }

    @Test
    void aFailureLeavesNothingBehind() throws Exception {
        // the last node breaks a field rule only the database-side validation sees: everything before it is rolled back
        String broken = ORG.replace("        category_routing: {docs: []}\n", "        category_routing: {docs: []}\n      - name: \"Bad {name}\"\n");
        assertThat(broken).contains("Bad {name}");
        writeOrg("broken", broken);
        Http.Response r = http.post("/org/import", "{\"dir\":\"broken\"}", admin());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid workspace fields");
        assertThat(ids()).isEmpty();
        assertThat(count("workspace_schedules")).isZero();
        assertThat(count("agent_memories")).isZero();
        Path configs = platform.home().resolve("workspaces");
        assertThat(!Files.exists(configs) || Files.list(configs).findAny().isEmpty()).isTrue();

        Http.Response bomb = http.post("/org/import", "{\"dir\":\"bomb\"}", admin());
        assertThat(bomb.status()).isEqualTo(404);
        assertThat(bomb.json().get("error").asText()).isEqualTo("org template not found: bomb");
        Files.createDirectories(templates.resolve("bomb"));
        Files.writeString(templates.resolve("bomb/org.yaml"), "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                + "f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\nworkspaces: [{name: A}]\n");
        Http.Response refused = http.post("/org/import", "{\"dir\":\"bomb\"}", admin());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid org template");
        assertThat(refused.json().get("detail").asText()).startsWith("org.yaml: ");
        assertThat(http.post("/org/import", "{\"dir\":\"../etc\"}", admin()).json().get("error").asText()).isEqualTo("invalid org directory");
        assertThat(http.post("/org/import", "{}", admin()).json().get("error").asText()).isEqualTo("provide 'dir' or 'template'");
        assertThat(ids()).isEmpty();
    }

    @Test
    void reimportUpdatesInPlaceAndKeepsRuntimeSchedules() throws Exception {
        writeOrg("acme", ORG);
        assertThat(http.post("/org/import", "{\"dir\":\"acme\"}", admin()).status()).isEqualTo(201);
        Map<String, UUID> first = ids();
        UUID boss = first.get("Boss");
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO workspace_schedules (workspace_id, name, cron_expr, prompt, source)
                        VALUES (:id, 'Mine', '0 9 * * *', 'added at runtime', 'runtime')""").bind("id", boss).execute());

        Files.writeString(templates.resolve("acme/org.yaml"), ORG.replace("role: Runs it", "role: Runs it all")
                .replace("prompt_file: schedules/pulse.md", "prompt: New pulse"));
        Http.Response again = http.post("/org/import", "{\"dir\":\"acme\"}", admin());
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("workspaces").get(0).get("status").asText()).isEqualTo("updated");
        assertThat(ids()).isEqualTo(first);
        assertThat(http.get("/workspaces/" + boss, admin()).json().get("role").asText()).isEqualTo("Runs it all");
        assertThat(rows("SELECT name || '|' || prompt || '|' || source FROM workspace_schedules WHERE workspace_id = :id ORDER BY name", boss))
                .containsExactly("Mine|added at runtime|runtime", "Pulse|New pulse|template");
        assertThat(rows("SELECT content FROM agent_memories WHERE workspace_id = :id", boss)).hasSize(2);
        assertThat(rows("SELECT key FROM workspace_secrets WHERE workspace_id = :id", boss)).hasSize(3);
    }

    @Test
    void anInlineTemplateImportsWithoutAFolder() {
        Http.Response r = http.post("/org/import", """
                {"template":{"name":"Inline","workspaces":[{"name":"Solo","model":"scripted","children":[{"name":"Helper"}]}]}}""", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(ids()).containsOnlyKeys("Solo", "Helper");
        Http.Response bad = http.post("/org/import", "{\"template\":{\"workspaces\":[{\"name\":\"A\",\"files_dir\":\"x\"}]}}", admin());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).isEqualTo("workspaces[0].files_dir needs a template folder");
    }
}
