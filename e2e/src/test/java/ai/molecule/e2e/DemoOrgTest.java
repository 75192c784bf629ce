package ai.molecule.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code molecule --demo}: a PM with two reports on the scripted model, talked to with the very
 * command the jar prints; skipped on a platform that already has workspaces; on a real provider
 * (role prompts, the key as a workspace secret) when a provider key is in the environment.
 */
class DemoOrgTest {
    private static final Duration READY = Duration.ofSeconds(120);
    /** The line --demo prints: curl -s -XPOST <url> -H 'Content-Type: application/json' -d '<body>'. */
    private static final Pattern READY_LINE = Pattern.compile(
            "(?m)^molecule: demo org ready \\(PM, Dev Lead, Researcher on (\\S+)\\)\\. Talk to the PM: "
                    + "curl -s -XPOST (\\S+/workspaces/([0-9a-f-]{36})/a2a) -H 'Content-Type: application/json' -d '(.*)'$");

    @TempDir
    Path home;
    MoleculeProcess molecule;

    @AfterEach
    void stop() {
        if (molecule != null) molecule.close();
    }

    @Test
    void scriptedDemoOrgAnswersWithBothReportsAndIsNotCreatedTwice() {
        molecule = MoleculeProcess.start(home, List.of("--demo"), "MOLECULE_ENABLE_TEST_TOKENS", "1").awaitHealthy(Duration.ofSeconds(90));
        Matcher line = awaitReadyLine();
        assertThat(line.group(1)).isEqualTo("scripted");
        assertThat(line.group(2)).isEqualTo(molecule.base() + "/workspaces/" + line.group(3) + "/a2a");
        String pm = line.group(3);
        Org org = new Org(new Http(molecule.base()));
        Http admin = org.as(pm);

        Map<String, String> tree = tree(admin);
        assertThat(tree).containsOnlyKeys("PM", "Dev Lead", "Researcher");
        assertThat(tree.get("PM")).isNull();
        assertThat(tree.get("Dev Lead")).isEqualTo(pm);
        assertThat(tree.get("Researcher")).isEqualTo(pm);
        assertThat(workspaces(admin)).allSatisfy(w -> assertThat(w.path("status").asText()).isEqualTo("online"));

        // exactly what the printed curl sends
        Http.Response r = new Http(molecule.base()).post("/workspaces/" + pm + "/a2a", line.group(4));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(Org.replyText(r.json())).as(r.body()).isEqualTo("PM: for \"Build a sign-up page\" my team says: "
                + "Researcher: on the plan [Dev Lead: a small API and a simple UI, tests first, about two days of work.], "
                + "talk to three users first and ship the smallest version.");

        // the same data again: the org is there already, so --demo leaves it alone
        assertThat(molecule.stop(Duration.ofSeconds(30))).as(molecule.output()).isIn(0, 143);
        molecule = MoleculeProcess.start(home, List.of("--demo"), "MOLECULE_ENABLE_TEST_TOKENS", "1").awaitHealthy(Duration.ofSeconds(90));
        await().atMost(READY).until(() -> molecule.stdout().contains("molecule: --demo skipped: this platform already has workspaces"));
        assertThat(molecule.stdout()).doesNotContain("demo org ready");
        assertThat(tree(new Org(new Http(molecule.base())).as(pm))).containsOnlyKeys("PM", "Dev Lead", "Researcher");
    }

    @Test
    void providerKeyPutsTheDemoOnThatModelWithRolePrompts() {
        // a made-up key: the agents start (nothing calls the provider until a message arrives)
        molecule = MoleculeProcess.start(home, List.of("serve", "--demo"), "MOLECULE_ENABLE_TEST_TOKENS", "1", "ANTHROPIC_API_KEY", "sk-ant-e2e-not-a-real-key")
                .awaitHealthy(Duration.ofSeconds(90));
        Matcher line = awaitReadyLine();
        assertThat(line.group(1)).isEqualTo("anthropic:claude-sonnet-4-5");
        Org org = new Org(new Http(molecule.base()));
        Http admin = org.as(line.group(3));
        for (JsonNode w : workspaces(admin)) {
            String id = w.path("id").asText();
            Http self = org.as(id);
            JsonNode config = self.get("/workspaces/" + id + "/config").json().path("data");
            assertThat(config.path("model").asText()).as(config.toString()).isEqualTo("anthropic:claude-sonnet-4-5");
            assertThat(config.path("system_prompt").asText()).as(config.toString()).startsWith("You are the ");
            assertThat(config.has("script")).as(config.toString()).isFalse();
            assertThat(self.get("/workspaces/" + id + "/secrets").body()).contains("ANTHROPIC_API_KEY")
                    .doesNotContain("sk-ant-e2e-not-a-real-key");
        }
        assertThat(tree(admin)).containsOnlyKeys("PM", "Dev Lead", "Researcher");
    }

    private Matcher awaitReadyLine() {
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() ->
                READY_LINE.matcher(molecule.stdout()).find() || molecule.stderr().contains("molecule: demo org not created"));
        Matcher m = READY_LINE.matcher(molecule.stdout());
        assertThat(m.find()).as(molecule.output()).isTrue();
        return m;
    }

    private static List<JsonNode> workspaces(Http admin) {
        Http.Response r = admin.get("/workspaces");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return StreamSupport.stream(r.json().spliterator(), false).toList();
    }

    /** name → parent_id (null for the root). */
    private static Map<String, String> tree(Http admin) {
        Map<String, String> tree = new TreeMap<>();
        for (JsonNode w : workspaces(admin)) {
            tree.put(w.path("name").asText(), w.path("parent_id").isNull() ? null : w.path("parent_id").asText());
        }
        return tree;
    }
}
