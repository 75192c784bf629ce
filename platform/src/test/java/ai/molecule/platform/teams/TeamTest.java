package ai.molecule.platform.teams;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Team expand / collapse, workspace templates and the agent slot routes. */
class TeamTest {
    private static final String ADMIN = "team-admin";
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

    private static List<String> rows(String sql, String id) {
        return db.withHandle(h -> h.createQuery(sql).bind("id", UUID.fromString(id)).mapTo(String.class).list());
    }

    private static List<String> events(String id) {
        return rows("SELECT event_type FROM structure_events WHERE workspace_id = :id ORDER BY created_at", id);
    }

    @Test
    void expandFromAListThenCollapseKeepsTheLead() {
        String lead = platform.createWorkspace("{\"name\":\"Lead\",\"tier\":2,\"model\":\"scripted\"}", admin());
        Http.Response r = http.post("/workspaces/" + lead + "/expand",
                "{\"children\":[{\"name\":\"A\",\"role\":\"first\"},{\"name\":\"B\",\"model\":\"openai:gpt-4o-mini\"}]}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("expanded");
        JsonNode children = r.json().get("children");
        assertThat(children).hasSize(2);
        String a = children.get(0).get("id").asText();
        assertThat(rows("SELECT parent_id::text FROM workspaces WHERE id = :id", a)).containsExactly(lead);
        assertThat(rows("SELECT tier::text FROM workspaces WHERE id = :id", a)).containsExactly("2");
        assertThat(http.get("/workspaces/" + a + "/config", admin()).json().at("/data/model").asText()).isEqualTo("scripted");
        assertThat(http.get("/workspaces/" + children.get(1).get("id").asText() + "/config", admin()).json().at("/data/model").asText())
                .isEqualTo("openai:gpt-4o-mini");
        assertThat(events(lead)).contains("WORKSPACE_EXPANDED");
        String grandchild = platform.createWorkspace("{\"name\":\"Deep\",\"parent_id\":\"" + a + "\"}", admin());

        Http.Response c = http.post("/workspaces/" + lead + "/collapse", "", admin());
        assertThat(c.body()).isEqualTo("{\"status\":\"collapsed\",\"removed\":[\"A\",\"B\"]}");
        assertThat(rows("SELECT status FROM workspaces WHERE id = :id", a)).containsExactly("removed");
        assertThat(rows("SELECT status FROM workspaces WHERE id = :id", grandchild)).containsExactly("removed");
        assertThat(rows("SELECT status FROM workspaces WHERE id = :id", lead)).doesNotContain("removed");
        assertThat(events(lead)).contains("WORKSPACE_COLLAPSED");
        assertThat(events(a)).contains("WORKSPACE_REMOVED");
    }

    @Test
    void expandFromTheWorkspaceTemplate() {
        assertThat(http.post("/templates/import", """
                {"name":"Review Team","files":{"config.yaml":"name: Review Team\\nsub_workspaces:\\n  - {config: code-reviewer, name: Reviewer, role: Reviews diffs}\\n  - {name: Scribe}\\n"}}""", admin())
                .body()).isEqualTo("{\"status\":\"imported\",\"id\":\"review-team\",\"name\":\"Review Team\"}");
        String lead = platform.createWorkspace("{\"name\":\"Reviews\",\"model\":\"scripted\",\"config\":{\"template\":\"review-team\"}}", admin());
        Http.Response r = http.post("/workspaces/" + lead + "/expand", "", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String reviewer = r.json().get("children").get(0).get("id").asText();
        JsonNode config = http.get("/workspaces/" + reviewer + "/config", admin()).json().get("data");
        assertThat(config.get("skills").toString()).isEqualTo("[\"review-checklist\"]");
        assertThat(config.get("model").asText()).isEqualTo("anthropic:claude-sonnet-4-5");
        assertThat(http.get("/workspaces/" + reviewer + "/files/skills/review-checklist/SKILL.md", admin()).status()).isEqualTo(200);
        assertThat(http.get("/workspaces/" + reviewer + "/files/system-prompt.md", admin()).json().get("content").asText())
                .startsWith("You are a code reviewer.");

        String plain = platform.createWorkspace("{\"name\":\"Nobody Special\"}", admin());
        assertThat(http.post("/workspaces/" + plain + "/expand", "", admin()).body()).isEqualTo("{\"error\":\"no config found for workspace\"}");
        http.patch("/workspaces/" + plain + "/config", "{\"sub_workspaces\":[]}", admin());
        assertThat(http.post("/workspaces/" + plain + "/expand", "", admin()).body())
                .isEqualTo("{\"error\":\"workspace has no sub_workspaces defined in config\"}");
    }

    @Test
    void workspaceTemplatesListAndImport() {
        List<String> ids = new ArrayList<>();
        http.get("/templates", admin()).json().forEach(t -> ids.add(t.get("id").asText()));
        assertThat(ids).contains("code-reviewer", "assistant");
        JsonNode reviewer = null;
        for (JsonNode t : http.get("/templates", admin()).json()) if (t.get("id").asText().equals("code-reviewer")) reviewer = t;
        assertThat(reviewer.get("skill_count").asInt()).isEqualTo(1);
        assertThat(reviewer.get("required_env").toString()).isEqualTo("[\"ANTHROPIC_API_KEY\"]");

        Http.Response made = http.post("/templates/import", "{\"name\":\"My Bot!\",\"files\":{\"system-prompt.md\":\"Hi\"}}", admin());
        assertThat(made.status()).isEqualTo(201);
        assertThat(made.json().get("id").asText()).isEqualTo("my-bot");
        Http.Response again = http.post("/templates/import", "{\"name\":\"my bot\",\"files\":{\"a.md\":\"x\"}}", admin());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).isEqualTo("{\"error\":\"template already exists\",\"id\":\"my-bot\"}");
        assertThat(http.post("/templates/import", "{\"name\":\"code reviewer\",\"files\":{\"a.md\":\"x\"}}", admin()).status()).isEqualTo(409);
        Http.Response evil = http.post("/templates/import", "{\"name\":\"Evil\",\"files\":{\"../../escape.md\":\"x\"}}", admin());
        assertThat(evil.status()).isEqualTo(400);
        assertThat(platform.home().resolve("templates/escape.md")).doesNotExist();
        assertThat(http.get("/templates", admin()).body()).doesNotContain("\"evil\"");
    }

    @Test
    void agentSlotRoutes() {
        String ws = platform.createWorkspace("{\"name\":\"Slot\"}", admin());
        String other = platform.createWorkspace("{\"name\":\"Other\"}", admin());
        String base = "/workspaces/" + ws + "/agent";
        Http.Response assigned = http.post(base, "{\"model\":\"scripted\"}", admin());
        assertThat(assigned.status()).isEqualTo(201);
        String agentId = assigned.json().get("agent_id").asText();
        assertThat(http.post(base, "{\"model\":\"scripted\"}", admin()).body())
                .isEqualTo("{\"error\":\"workspace already has an active agent, use PATCH to replace\"}");
        Http.Response replaced = http.patch(base, "{\"model\":\"openai:gpt-4o-mini\"}", admin());
        assertThat(replaced.json().get("old_model").asText()).isEqualTo("scripted");
        assertThat(replaced.json().get("agent_id").asText()).isNotEqualTo(agentId);
        assertThat(http.get("/workspaces/" + ws + "/config", admin()).json().at("/data/model").asText()).isEqualTo("openai:gpt-4o-mini");

        Http.Response moved = http.post(base + "/move", "{\"target_workspace_id\":\"" + other + "\"}", admin());
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().get("to_workspace").asText()).isEqualTo(other);
        assertThat(http.get("/workspaces/" + other + "/config", admin()).json().at("/data/model").asText()).isEqualTo("openai:gpt-4o-mini");
        assertThat(http.delete(base, admin()).body()).isEqualTo("{\"error\":\"no active agent to remove\"}");
        Http.Response removed = http.delete("/workspaces/" + other + "/agent", admin());
        assertThat(removed.json().get("status").asText()).isEqualTo("removed");
        assertThat(http.patch("/workspaces/" + other + "/agent", "{\"model\":\"scripted\"}", admin()).body())
                .isEqualTo("{\"error\":\"no active agent to replace\"}");
        assertThat(http.post(base + "/move", "{\"target_workspace_id\":\"" + UUID.randomUUID() + "\"}", admin()).body())
                .isEqualTo("{\"error\":\"target workspace not found\"}");
        assertThat(events(ws)).contains("AGENT_ASSIGNED", "AGENT_REPLACED", "AGENT_REMOVED");
    }
}
