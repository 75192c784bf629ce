package ai.molecule.platform.budget;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budgets and usage metrics (spec §1.19) with a real scripted runtime: the usage the runtime
 * reports on each reply moves the spend until the proxy answers 402.
 */
class BudgetTest {
    private static final String ADMIN = "budget-admin";
    static TestPlatform platform;
    static Http http;
    static Agents agents;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded");
        http = platform.http();
        agents = new Agents(platform, ADMIN);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aWorkspaceDrivenOverItsLimitGets402FromTheProxy() {
        String id = agents.online("{\"name\":\"Spender\",\"model\":\"scripted\"}");
        assertThat(http.get("/workspaces/" + id + "/budget", agents.admin()).body())
                .isEqualTo("{\"budget_limit\":null,\"monthly_spend\":0,\"budget_remaining\":null}");

        Http.Response set = http.patch("/workspaces/" + id + "/budget", "{\"budget_limit\":1}", agents.admin());
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body()).isEqualTo("{\"budget_limit\":1,\"monthly_spend\":0,\"budget_remaining\":1}");

        Http.Response first = agents.a2a(id, send("count these words please"));
        assertThat(first.status()).isEqualTo(200);

        // usage is counted by the proxy's write-behind, within milliseconds of the reply
        await().atMost(Duration.ofSeconds(5)).until(() ->
                http.get("/workspaces/" + id + "/metrics", agents.admin()).json().get("total_calls").asLong() == 1);
        JsonNode m = http.get("/workspaces/" + id + "/metrics", agents.admin()).json();
        long in = m.get("input_tokens").asLong(), out = m.get("output_tokens").asLong();
        assertThat(in).isPositive();
        assertThat(out).isPositive();
        assertThat(m.get("total_calls").asLong()).isEqualTo(1);
        String expectedCost = BigDecimal.valueOf(in * 3 + out * 15).divide(BigDecimal.valueOf(1_000_000))
                .setScale(6, RoundingMode.HALF_UP).toPlainString();
        assertThat(m.get("estimated_cost_usd").asText()).isEqualTo(expectedCost);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(m.get("period_start").asText()).isEqualTo(today + "T00:00:00Z");
        assertThat(m.get("period_end").asText()).isEqualTo(today.plusDays(1) + "T00:00:00Z");

        // A fraction of a cent spent counts as a cent: the workspace is now at its limit.
        assertThat(http.get("/workspaces/" + id + "/budget", agents.admin()).body())
                .isEqualTo("{\"budget_limit\":1,\"monthly_spend\":1,\"budget_remaining\":0}");
        // the proxy's cached row learns the new spend through the invalidation trigger
        Http.Response refused = await().atMost(Duration.ofSeconds(5))
                .until(() -> agents.a2a(id, send("one more")), r -> r.status() == 402);
        assertThat(refused.body()).isEqualTo("{\"error\":\"workspace budget limit exceeded\"}");
        assertThat(http.get("/workspaces/" + id + "/metrics", agents.admin()).json().get("total_calls").asLong()).isEqualTo(1);

        // Lifting the limit lets messages through again.
        assertThat(http.patch("/workspaces/" + id + "/budget", "{\"budget_limit\":null}", agents.admin()).body())
                .isEqualTo("{\"budget_limit\":null,\"monthly_spend\":1,\"budget_remaining\":null}");
        assertThat(await().atMost(Duration.ofSeconds(5)).until(() -> agents.a2a(id, send("and again")),
                r -> r.status() != 402).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                http.get("/workspaces/" + id + "/metrics", agents.admin()).json().get("total_calls").asLong() == 2);
    }

    @Test
    void patchValidatesTheLimitAndNeedsAdmin() {
        String id = agents.create("{\"name\":\"Limits\"}");
        String path = "/workspaces/" + id + "/budget";
        assertThat(http.patch(path, "{}", agents.admin()).body()).isEqualTo("{\"error\":\"budget_limit field is required\"}");
        assertThat(http.patch(path, "{\"budget_limit\":-5}", agents.admin()).body())
                .isEqualTo("{\"error\":\"budget_limit must be >= 0 (USD cents)\"}");
        for (String bad : new String[]{"\"100\"", "1.5", "true", "{}"}) {
            Http.Response r = http.patch(path, "{\"budget_limit\":" + bad + "}", agents.admin());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"budget_limit must be an integer (USD cents) or null\"}");
        }
        assertThat(http.patch(path, "{\"budget_limit\":500}").status()).isEqualTo(401);
        assertThat(http.patch(path, "{\"budget_limit\":500}", "Authorization", "Bearer nope").status()).isEqualTo(401);
        String missing = "/workspaces/00000000-0000-4000-8000-000000000000";
        assertThat(http.patch(missing + "/budget", "{\"budget_limit\":5}", agents.admin()).status()).isEqualTo(404);
        assertThat(http.get(missing + "/budget", agents.admin()).body()).isEqualTo("{\"error\":\"workspace not found\"}");
        assertThat(http.get(missing + "/metrics", agents.admin()).status()).isEqualTo(404);

        JsonNode fresh = http.get("/workspaces/" + id + "/metrics", agents.admin()).json();
        assertThat(fresh.get("estimated_cost_usd").asText()).isEqualTo("0.000000");
        assertThat(fresh.get("total_calls").asLong()).isZero();
    }
}
