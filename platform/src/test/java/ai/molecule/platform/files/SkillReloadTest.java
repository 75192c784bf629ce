package ai.molecule.platform.files;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.RuleEchoModel;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A skill edited through the files API reaches the running embedded agent without a restart:
 * the model (a local fake of the OpenAI chat API that answers with the instruction it finds
 * in its system prompt) answers differently on the next message, and the card lists the skill.
 */
class SkillReloadTest {
    private static final String ADMIN = "skills-admin";

    @Test
    void anEditedSkillChangesTheNextAnswer() throws Exception {
        try (RuleEchoModel model = RuleEchoModel.start();
             TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded")) {
            Agents agents = new Agents(platform, ADMIN);
            Http http = platform.http();
            String ws = agents.create("{\"name\":\"Skilled\",\"model\":\"openai-compatible:fake\",\"config\":{\"skills\":[\"tone\"]},"
                    + "\"secrets\":{\"OPENAI_COMPATIBLE_BASE_URL\":\"" + model.baseUrl() + "\","
                    + "\"SKILL_WATCH_INTERVAL_SECONDS\":\"0.2\"}}");
            http.put("/workspaces/" + ws + "/files/skills/tone/SKILL.md",
                    "{\"content\":\"---\\nname: tone\\ndescription: How to answer\\n---\\nRULE: answer in French\"}", agents.admin());
            agents.awaitStatus(ws, "online");
            await().atMost(Duration.ofSeconds(20)).until(() -> RuleEchoModel.ask(agents, ws).equals("rule: answer in French"));
            long runtimeStarts = RuleEchoModel.provisionings(http, agents);

            http.put("/workspaces/" + ws + "/files/skills/tone/SKILL.md",
                    "{\"content\":\"---\\nname: tone\\ndescription: How to answer, v2\\n---\\nRULE: answer in German\"}", agents.admin());
            await().atMost(Duration.ofSeconds(20)).until(() -> RuleEchoModel.ask(agents, ws).equals("rule: answer in German"));
            assertThat(RuleEchoModel.provisionings(http, agents)).as("no restart happened").isEqualTo(runtimeStarts);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    agents.workspace(ws).path("agent_card").toString().contains("How to answer, v2"));
        }
    }
}
