package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;

/** A poll-mode agent (URL remote://no-inbound) is never dialled: its messages wait in its a2a_receive activity. */
class PollDeliveryTest {
    @Test
    void messagesForAPollingAgentAreLeftInItsActivity() {
        try (TestPlatform p = TestPlatform.start("MOLECULE_ENV", "development", "MOLECULE_PROVISIONER", "none")) {
            String id = p.createWorkspace("{\"name\":\"Poller\",\"external\":true}");
            p.platform().database().jdbi().useHandle(h -> h.createUpdate(
                            "UPDATE workspaces SET url = 'remote://no-inbound', status = 'online' WHERE id = :id")
                    .bind("id", UUID.fromString(id)).execute());

            var r = p.http().post("/workspaces/" + id + "/a2a", send("are you there?", "poll-1"));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            assertThat(r.json().get("delivery_mode").asText()).isEqualTo("poll");

            JsonNode rows = p.http().get("/workspaces/" + id + "/activity?type=a2a_receive").json();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("id").asText()).isEqualTo(r.json().get("activity_id").asText());
            assertThat(rows.get(0).get("request_body").path("params").path("message").path("messageId").asText()).isEqualTo("poll-1");
            assertThat(p.http().get("/workspaces/" + id).json().get("status").asText()).as("not marked unreachable").isEqualTo("online");
        }
    }
}
