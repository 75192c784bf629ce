package ai.molecule.runtime.platform;

import ai.molecule.runtime.RuntimeStats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HeartbeatLoopTest {
    @RegisterExtension
    static WireMockExtension platform = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UUID SELF = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<JsonNode> beats() {
        return platform.findAll(postRequestedFor(urlEqualTo("/registry/heartbeat"))).stream()
                .map(LoggedRequest::getBodyAsString).map(HeartbeatLoopTest::parse).toList();
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HeartbeatLoop loop(RuntimeStats stats, Duration interval) {
        return new HeartbeatLoop(new PlatformClient(platform.baseUrl(), SELF, HttpClient.newHttpClient(), new TokenStore(dir)),
                stats, interval);
    }

    @Test
    void beatsAtTheIntervalWithTheStatsPayload() throws Exception {
        Files.writeString(dir.resolve(".auth_token"), "tok");
        platform.stubFor(post("/registry/heartbeat").willReturn(okJson("{\"status\":\"ok\"}")));
        RuntimeStats stats = new RuntimeStats();
        try (HeartbeatLoop loop = loop(stats, Duration.ofMillis(200))) {
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> beats().size() >= 3);
        }
        JsonNode beat = beats().getFirst();
        assertThat(beat.properties().stream().map(Map.Entry::getKey).toList()).containsExactlyInAnyOrder(
                "workspace_id", "error_rate", "sample_error", "active_tasks", "current_task", "uptime_seconds");
        assertThat(beat.path("workspace_id").asText()).isEqualTo(SELF.toString());
        assertThat(beat.path("active_tasks").asInt()).isZero();
        assertThat(beat.path("error_rate").asDouble()).isZero();
        platform.verify(postRequestedFor(urlEqualTo("/registry/heartbeat"))
                .withHeader("Authorization", equalTo("Bearer tok")).withHeader("X-Workspace-ID", equalTo(SELF.toString())));
    }

    @Test
    void aTaskStartOrEndBeatsAtOnceAndADeliveredBeatResetsTheErrorWindow() {
        platform.stubFor(post("/registry/heartbeat").willReturn(okJson("{\"status\":\"ok\"}")));
        RuntimeStats stats = new RuntimeStats();
        try (HeartbeatLoop loop = loop(stats, Duration.ofHours(1))) {
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> beats().size() == 1);

            stats.taskStarted("t1", "Summarise the quarterly report");
            await().atMost(Duration.ofSeconds(5)).until(() -> beats().stream()
                    .anyMatch(b -> b.path("active_tasks").asInt() == 1
                            && b.path("current_task").asText().equals("Summarise the quarterly report")));

            stats.taskEnded("t1", "model timed out");
            await().atMost(Duration.ofSeconds(5)).until(() -> beats().stream()
                    .anyMatch(b -> b.path("active_tasks").asInt() == 0 && b.path("error_rate").asDouble() == 1.0
                            && b.path("sample_error").asText().equals("model timed out")));
            await().atMost(Duration.ofSeconds(5)).until(() -> stats.snapshot().errorRate() == 0.0);
        }
    }

    @Test
    void aFailedBeatKeepsTheErrorsForTheNextOne() {
        platform.stubFor(post("/registry/heartbeat").willReturn(aResponse().withStatus(503).withBody("{\"error\":\"down\"}")));
        RuntimeStats stats = new RuntimeStats();
        stats.taskStarted("t1", "x");
        stats.taskEnded("t1", "boom");
        try (HeartbeatLoop loop = loop(stats, Duration.ofMillis(100))) {
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> beats().size() >= 2);
        }
        assertThat(stats.snapshot().sampleError()).isEqualTo("boom");
    }

    @Test
    void closeStopsTheBeats() {
        platform.stubFor(post("/registry/heartbeat").willReturn(okJson("{\"status\":\"ok\"}")));
        HeartbeatLoop loop = loop(new RuntimeStats(), Duration.ofMillis(100));
        loop.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> beats().size() >= 2);
        loop.close();
        int atClose = beats().size();
        int[] last = {atClose};
        // A beat already in flight may still land; after that the count must stay still.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> {
            int n = beats().size();
            boolean same = n == last[0];
            last[0] = n;
            return same;
        });
        assertThat(beats().size()).isLessThanOrEqualTo(atClose + 1);
    }

    @Test
    void intervalComesFromTheEnvironment() {
        assertThat(HeartbeatLoop.interval(Map.of())).isEqualTo(Duration.ofSeconds(30));
        assertThat(HeartbeatLoop.interval(Map.of("HEARTBEAT_INTERVAL_SECONDS", "5"))).isEqualTo(Duration.ofSeconds(5));
        assertThat(HeartbeatLoop.interval(Map.of("HEARTBEAT_INTERVAL_SECONDS", "0.25"))).isEqualTo(Duration.ofMillis(250));
        assertThat(HeartbeatLoop.interval(Map.of("HEARTBEAT_INTERVAL_SECONDS", "never"))).isEqualTo(Duration.ofSeconds(30));
    }
}
