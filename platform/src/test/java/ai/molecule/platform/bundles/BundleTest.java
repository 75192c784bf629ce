package ai.molecule.platform.bundles;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Bundles: export → delete → import restores config, files, memories and schedules; secrets stay behind. */
class BundleTest {
    private static final String ADMIN = "bundle-admin";
    static TestPlatform platform;
    static Http http;
    static Jdbi db;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN);
        http = platform.http();
        db = Jdbi.create(platform.databaseUrl());
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String[] admin() {
        return new String[]{"Authorization", Http.bearer(ADMIN)};
    }

    /** A lead with one report, each with config, files, a memory and a schedule; the lead with a secret. */
    private static String tree(String lead) {
        String id = platform.createWorkspace("{\"name\":\"" + lead + "\",\"role\":\"Leads\",\"tier\":2,\"model\":\"scripted\","
                + "\"max_concurrent_tasks\":3,\"secrets\":{\"GITHUB_TOKEN\":\"ghp_secret_value_123\"},"
                + "\"config\":{\"system_prompt\":\"Lead well.\",\"skills\":[\"plan\"],\"idle_interval_seconds\":900},"
                + "\"initial_memories\":[{\"content\":\"remember the roadmap\",\"scope\":\"TEAM\"}]}", admin());
        String child = platform.createWorkspace("{\"name\":\"Helper\",\"parent_id\":\"" + id + "\",\"model\":\"scripted\","
                + "\"initial_memories\":[{\"content\":\"helper note\"}]}", admin());
        http.put("/workspaces/" + id + "/files/skills/plan/SKILL.md", "{\"content\":\"---\\nname: plan\\ndescription: Plans work\\n---\\nMake a plan.\"}", admin());
        http.put("/workspaces/" + id + "/files/notes/context.md", "{\"content\":\"Project context.\"}", admin());
        http.put("/workspaces/" + child + "/files/system-prompt.md", "{\"content\":\"You help.\"}", admin());
        db.useHandle(h -> {
            h.execute("INSERT INTO workspace_schedules (workspace_id, name, cron_expr, prompt, source) VALUES (?, 'Daily', '0 9 * * *', 'report in', 'template')", UUID.fromString(id));
            h.execute("INSERT INTO workspace_schedules (workspace_id, name, cron_expr, timezone, prompt, enabled) VALUES (?, 'Mine', '*/5 * * * *', 'Europe/Paris', 'poll', false)", UUID.fromString(child));
        });
        return id;
    }

    private static List<String> rows(String sql, String id) {
        return db.withHandle(h -> h.createQuery(sql).bind("id", UUID.fromString(id)).mapTo(String.class).list());
    }

    private static int count() {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM workspaces").mapTo(Integer.class).one());
    }

    private static String state(String id) {
        JsonNode config = http.get("/workspaces/" + id + "/config", admin()).json().get("data");
        ((com.fasterxml.jackson.databind.node.ObjectNode) config).remove(List.of("name", "template"));
        return config + "|" + rows("SELECT scope || ':' || content FROM agent_memories WHERE workspace_id = :id ORDER BY content", id)
                + "|" + rows("SELECT name || ',' || cron_expr || ',' || timezone || ',' || prompt || ',' || enabled || ',' || source"
                + " FROM workspace_schedules WHERE workspace_id = :id ORDER BY name", id);
    }

    private static String file(String id, String path) {
        return http.get("/workspaces/" + id + "/files/" + path, admin()).json().get("content").asText();
    }

    private static String childOf(String id) {
        return rows("SELECT id::text FROM workspaces WHERE parent_id = :id AND status <> 'removed'", id).getFirst();
    }

    @Test
    void exportDeleteImportRestoresTheTree() {
        String lead = tree("Lead");
        String child = childOf(lead);
        String leadState = state(lead), childState = state(child);

        Http.Response export = http.get("/bundles/export/" + lead, admin());
        assertThat(export.status()).isEqualTo(200);
        JsonNode bundle = export.json();
        assertThat(bundle.get("schema").asText()).isEqualTo("1.0");
        assertThat(bundle.get("description").asText()).isEqualTo("Leads");
        assertThat(bundle.get("system_prompt").asText()).isEqualTo("Lead well.");
        assertThat(bundle.get("skills").get(0).get("description").asText()).isEqualTo("Plans work");
        assertThat(bundle.get("prompts").has("config.yaml")).isTrue();
        assertThat(bundle.get("prompts").get("notes/context.md").asText()).isEqualTo("Project context.");
        assertThat(bundle.get("required_secrets").toString()).isEqualTo("[\"GITHUB_TOKEN\"]");
        assertThat(export.body()).doesNotContain("ghp_secret_value_123").doesNotContain(".auth_token");
        assertThat(bundle.get("sub_workspaces").get(0).get("name").asText()).isEqualTo("Helper");

        assertThat(http.delete("/workspaces/" + lead + "?confirm=true&purge=true", admin()).status()).isEqualTo(200);
        assertThat(rows("SELECT id::text FROM workspaces WHERE id = :id", lead)).isEmpty();

        Http.Response imported = http.post("/bundles/import", export.body(), admin());
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        String newLead = imported.json().get("workspace_id").asText();
        assertThat(newLead).isNotEqualTo(lead);
        assertThat(imported.json().get("required_secrets").toString()).isEqualTo("[\"GITHUB_TOKEN\"]");
        String newChild = imported.json().get("children").get(0).get("workspace_id").asText();
        assertThat(childOf(newLead)).isEqualTo(newChild);

        assertThat(state(newLead)).isEqualTo(leadState);
        assertThat(state(newChild)).isEqualTo(childState);
        assertThat(file(newLead, "skills/plan/SKILL.md")).isEqualTo("---\nname: plan\ndescription: Plans work\n---\nMake a plan.");
        assertThat(file(newLead, "notes/context.md")).isEqualTo("Project context.");
        assertThat(file(newChild, "system-prompt.md")).isEqualTo("You help.");
        JsonNode row = http.get("/workspaces/" + newLead, admin()).json();
        assertThat(row.get("role").asText()).isEqualTo("Leads");
        assertThat(row.get("max_concurrent_tasks").asInt()).isEqualTo(3);
        assertThat(rows("SELECT source_bundle_id FROM workspaces WHERE id = :id", newLead)).containsExactly(lead);
        assertThat(rows("SELECT key FROM workspace_secrets WHERE workspace_id = :id", newLead)).isEmpty();
    }

    @Test
    void duplicatePutsACopyNextToTheOriginal() {
        String lead = tree("Original");
        Http.Response copy = http.post("/bundles/duplicate/" + lead, "", admin());
        assertThat(copy.status()).as(copy.body()).isEqualTo(201);
        String dup = copy.json().get("workspace_id").asText();
        assertThat(copy.json().get("name").asText()).isEqualTo("Original (copy)");
        assertThat(state(dup)).isEqualTo(state(lead));
        assertThat(childOf(dup)).isNotEqualTo(childOf(lead));
        assertThat(http.get("/workspaces/" + lead, admin()).status()).isEqualTo(200);
    }

    @Test
    void badBundlesAreRefusedWhole() {
        assertThat(http.post("/bundles/import", "not json", admin()).json().get("error").asText()).isEqualTo("invalid bundle");
        assertThat(http.post("/bundles/import", "{\"schema\":\"9\",\"name\":\"x\"}", admin()).json().get("detail").asText())
                .isEqualTo("schema must be \"1.0\"");
        int before = count();
        Http.Response escape = http.post("/bundles/import", """
                {"schema":"1.0","name":"Ok","sub_workspaces":[{"schema":"1.0","name":"Evil","prompts":{"../../escape.md":"x"}}]}""", admin());
        assertThat(escape.status()).isEqualTo(400);
        assertThat(escape.json().get("detail").asText()).isEqualTo("file path not allowed: ../../escape.md");
        assertThat(count()).isEqualTo(before); // the valid root was not kept either
        assertThat(http.get("/bundles/export/" + UUID.randomUUID(), admin()).body()).isEqualTo("{\"error\":\"bundle not found\"}");
    }
}
