package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message sent through instance B to a runtime embedded in instance A reaches it through A's
 * advertised URL with the hop token: answered, logged once, one capacity slot.
 */
class InstanceHopTest {
    private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // shared by the instances, as in a cluster

    @Test
    void aRuntimeInAnotherInstanceIsReachedOnceThroughIt() {
        try (TestPlatform a = TestPlatform.start("ADMIN_TOKEN", "hop-admin", "MOLECULE_PROVISIONER", "embedded",
                "SECRETS_ENCRYPTION_KEY", KEY);
             TestPlatform b = TestPlatform.sharing(a, "ADMIN_TOKEN", "hop-admin", "MOLECULE_PROVISIONER", "embedded",
                     "SECRETS_ENCRYPTION_KEY", KEY)) {
            Agents onA = new Agents(a, "hop-admin");
            String id = onA.online("{\"name\":\"Echo\",\"model\":\"scripted\",\"max_concurrent_tasks\":1}");

            Http.Response r = b.http().post("/workspaces/" + id + "/a2a", send("across", "hop-1"));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().at("/result/parts/0/text").asText()).isEqualTo("echo: across");
            await().atMost(Duration.ofSeconds(5)).until(() -> !onA.activity(id, "a2a_receive").isEmpty());
            assertThat(onA.activity(id, "a2a_receive")).as("logged once, by the instance that proxied it").hasSize(1);
        }
    }
}
