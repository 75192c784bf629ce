package ai.molecule.platform.health;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /health, /metrics and /admin/liveness (spec §1.1). */
class HealthTest {
    static TestPlatform platform;
    static Http http;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("LIVENESS_SWEEP_INTERVAL_MS", "100");
        http = platform.http();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void healthIsExactlyStatusOk() {
        Http.Response r = http.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(r.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void metricsCountRequestsByRouteTemplate() {
        http.get("/health");
        String workspace = "00000000-0000-0000-0000-00000000abcd";
        http.get("/workspaces/" + workspace + "/activity"); // a templated route, whatever its status

        Http.Response r = http.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.body())
                .contains("molecule_http_requests_total{method=\"GET\",path=\"/health\",status=\"200\"}")
                .contains("molecule_http_request_duration_seconds_total{method=\"GET\",path=\"/health\",status=\"200\"}")
                .contains("path=\"/workspaces/{id}/activity\"")
                .doesNotContain(workspace)
                .contains("molecule_websocket_connections_active");
    }

    @Test
    void healthCounterGrowsWithEachRequest() {
        double before = sample(http.get("/metrics").body(), "molecule_http_requests_total{method=\"GET\",path=\"/health\",status=\"200\"}");
        http.get("/health");
        http.get("/health");
        double after = sample(http.get("/metrics").body(), "molecule_http_requests_total{method=\"GET\",path=\"/health\",status=\"200\"}");
        assertThat(after - before).isEqualTo(2.0);
    }

    @Test
    void websocketGaugeFollowsOpenConnections() {
        String gauge = "molecule_websocket_connections_active";
        double base = sample(http.get("/metrics").body(), gauge);
        try (WsClient ignored = WsClient.connect(http.base())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> sample(http.get("/metrics").body(), gauge) == base + 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sample(http.get("/metrics").body(), gauge) == base);
    }

    @Test
    void livenessListsTheSweepAfterItTicks() {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http.get("/admin/liveness").json().path("subsystems").has("liveness-sweep"));
        Http.Response r = http.get("/admin/liveness");
        assertThat(r.status()).isEqualTo(200);
        JsonNode sweep = r.json().path("subsystems").path("liveness-sweep");
        assertThat(sweep.fieldNames()).toIterable().containsExactlyInAnyOrder("last_tick_at", "seconds_ago");
        assertThat(sweep.get("seconds_ago").isIntegralNumber()).as("integer seconds_ago: %s", sweep).isTrue();
        assertThat(sweep.get("seconds_ago").asLong()).isBetween(0L, 5L);
        OffsetDateTime at = OffsetDateTime.parse(sweep.get("last_tick_at").asText());
        assertThat(at).isAfter(OffsetDateTime.now().minusMinutes(1));
        // the sweep keeps ticking
        await().atMost(Duration.ofSeconds(10)).until(() -> OffsetDateTime.parse(
                http.get("/admin/liveness").json().path("subsystems").path("liveness-sweep").path("last_tick_at").asText()).isAfter(at));
    }

    @Test
    void livenessIsAdminAuthOnceTokensExist() {
        try (TestPlatform p = TestPlatform.start()) {
            assertThat(p.http().get("/admin/liveness").status()).as("fail-open without tokens").isEqualTo(200);
            String id = p.createWorkspace("{\"name\":\"w\"}");
            String token = p.register(id);

            Http.Response none = p.http().get("/admin/liveness");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().path("error").asText()).isEqualTo("admin auth required");
            Http.Response bad = p.http().get("/admin/liveness", "Authorization", "Bearer nope");
            assertThat(bad.status()).isEqualTo(401);
            assertThat(bad.json().path("error").asText()).isEqualTo("invalid admin auth token");
            assertThat(p.http().get("/admin/liveness", "Authorization", Http.bearer(token)).status()).isEqualTo(200);
            assertThat(p.http().get("/health").status()).as("health stays open").isEqualTo(200);
            assertThat(p.http().get("/metrics").status()).as("metrics stays open").isEqualTo(200);
        }
    }

    /** The value of one exact Prometheus series; 0 when absent. */
    static double sample(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
