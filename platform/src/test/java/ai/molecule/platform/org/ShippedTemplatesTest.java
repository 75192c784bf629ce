package ai.molecule.platform.org;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each template the product ships, imported on the embedded default with the scripted model:
 * the whole org comes up (hierarchy, config, schedules, memories) and a message to its root is
 * answered through delegation down the tree.
 */
class ShippedTemplatesTest {
    private static final String ADMIN = "shipped-admin";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "demo          | 3 | PM                  | 0 | Researcher: on the plan [Dev Lead: a small API",
            "software-team | 8 | Engineering Manager | 2 | QA Lead: test plan ready for [Tech Lead: design agreed; Backend Engineer: an API endpoint",
            "research-desk | 5 | Research Director   | 1 | Fact Checker: verified [Literature Analyst: three sources agree",
            "support-desk  | 5 | Support Lead        | 1 | Knowledge Base Writer: article drafted from [Technical Support Engineer: steps to fix"})
    void importsAndAnswersThroughDelegation(String dir, int size, String root, int schedules, String delegated) {
        try (TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded")) {
            Http http = platform.http();
            Agents agents = new Agents(platform, ADMIN);
            Http.Response r = http.post("/org/import", "{\"dir\":\"" + dir + "\",\"model\":\"scripted\",\"force\":true}", agents.admin());
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.json().get("count").asInt()).isEqualTo(size);

            Map<String, JsonNode> byName = new HashMap<>();
            http.get("/workspaces", agents.admin()).json().forEach(w -> byName.put(w.get("name").asText(), w));
            assertThat(byName).hasSize(size);
            String rootId = byName.get(root).get("id").asText();
            assertThat(byName.get(root).get("parent_id").isNull()).isTrue();
            long children = byName.values().stream().filter(w -> rootId.equals(w.path("parent_id").asText())).count();
            assertThat(children).isPositive();
            byName.values().forEach(w -> agents.awaitStatus(w.get("id").asText(), "online"));

            JsonNode config = http.get("/workspaces/" + rootId + "/config", agents.admin()).json().get("data");
            assertThat(config.get("model").asText()).isEqualTo("scripted");
            assertThat(config.has("script")).isTrue();
            Jdbi db = Jdbi.create(platform.databaseUrl());
            int templateSchedules = db.withHandle(h -> h.createQuery("SELECT count(*) FROM workspace_schedules WHERE source = 'template'")
                    .mapTo(Integer.class).one());
            assertThat(templateSchedules).isEqualTo(schedules);
            int memories = db.withHandle(h -> h.createQuery("SELECT count(*) FROM agent_memories").mapTo(Integer.class).one());
            assertThat(memories).isGreaterThanOrEqualTo(1);

            Http.Response answer = agents.a2a(rootId, Agents.send("Add a password reset flow"), agents.admin());
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            String text = answer.json().at("/result/parts/0/text").asText();
            assertThat(text).startsWith(root + ": ").contains("Add a password reset flow").contains(delegated);
            List<String> sent = new ArrayList<>();
            agents.activity(rootId, "a2a_send").forEach(a -> sent.add(a.toString()));
            assertThat(sent).isNotEmpty();
        }
    }
}
