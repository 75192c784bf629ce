package ai.molecule.platform.templates;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.RuleEchoModel;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code POST /workspaces} with {@code template} (spec §1.2): the template's config, runtime and files apply at create. */
class TemplateAtCreateTest {
    private static final String ADMIN = "template-admin";

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void aTemplatesConfigPromptAndSkillsReachTheRunningAgent() throws Exception {
        try (RuleEchoModel model = RuleEchoModel.start();
             TestPlatform platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded")) {
            Path template = platform.home().resolve("templates/user/triage");
            write(template.resolve("config.yaml"), """
                    name: Triage
                    tier: 4
                    runtime: deepagents
                    model: openai-compatible:fake
                    description: Sorts incoming tickets
                    skills: [labels]
                    idle_interval_seconds: 900
                    """);
            write(template.resolve("system-prompt.md"), "RULE: sort by severity");
            write(template.resolve("skills/labels/SKILL.md"), "---\nname: labels\ndescription: Ticket labels\n---\nUse bug or feature.");
            write(template.resolve(".env"), "NOT_COPIED=1");
            Agents agents = new Agents(platform, ADMIN);
            Http http = platform.http();

            String ws = agents.create("{\"name\":\"Inbox\",\"template\":\"triage\",\"config\":{\"idle_interval_seconds\":1200},"
                    + "\"secrets\":{\"OPENAI_COMPATIBLE_BASE_URL\":\"" + model.baseUrl() + "\"}}");
            JsonNode row = agents.workspace(ws);
            assertThat(row.path("runtime").asText()).as("the template's runtime when none is asked for").isEqualTo("deepagents");
            assertThat(row.path("name").asText()).isEqualTo("Inbox");
            JsonNode config = http.get("/workspaces/" + ws + "/config", agents.admin()).json().get("data");
            assertThat(config.path("model").asText()).isEqualTo("openai-compatible:fake");
            assertThat(config.path("description").asText()).isEqualTo("Sorts incoming tickets");
            assertThat(config.path("idle_interval_seconds").asInt()).as("the caller's config wins").isEqualTo(1200);
            assertThat(config.path("template").asText()).isEqualTo("triage");
            Path configDir = platform.home().resolve("workspaces").resolve(ws);
            assertThat(configDir.resolve("system-prompt.md")).hasContent("RULE: sort by severity");
            assertThat(configDir.resolve(".env")).doesNotExist();

            agents.awaitStatus(ws, "online");
            await().atMost(Duration.ofSeconds(20)).until(() -> RuleEchoModel.ask(agents, ws).equals("rule: sort by severity"));
            assertThat(agents.workspace(ws).path("agent_card").toString()).contains("Ticket labels");

            String explicit = agents.create("{\"name\":\"Other\",\"template\":\"triage\",\"runtime\":\"langgraph\","
                    + "\"secrets\":{\"OPENAI_COMPATIBLE_BASE_URL\":\"" + model.baseUrl() + "\"}}");
            assertThat(agents.workspace(explicit).path("runtime").asText()).isEqualTo("langgraph");
            assertThat(agents.workspace(agents.create("{\"name\":\"Plain\"}")).path("runtime").asText()).isEqualTo("langgraph");
        }
    }
}
