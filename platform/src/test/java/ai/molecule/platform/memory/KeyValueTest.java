package ai.molecule.platform.memory;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The key/value memory (spec §1.6): versions, if_match_version conflicts, TTL expiry. */
class KeyValueTest {
    private static final String ADMIN = "kv-admin";
    static TestPlatform platform;
    static Http http;
    static String ws, path;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN);
        http = platform.http();
        ws = platform.createWorkspace("{\"name\":\"KV\"}", admin());
        path = "/workspaces/" + ws + "/memory";
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String[] admin() {
        return new String[]{"Authorization", Http.bearer(ADMIN)};
    }

    private static Http.Response set(String json) {
        return http.post(path, json, admin());
    }

    @Test
    void setGetListAndDelete() {
        assertThat(set("{\"key\":\"plan\",\"value\":{\"step\":1,\"done\":[\"a\"]}}").body())
                .isEqualTo("{\"status\":\"ok\",\"key\":\"plan\",\"version\":1}");
        assertThat(set("{\"key\":\"plan\",\"value\":{\"step\":2}}").body())
                .isEqualTo("{\"status\":\"ok\",\"key\":\"plan\",\"version\":2}");
        JsonNode entry = http.get(path + "/plan", admin()).json();
        assertThat(entry.get("value").toString()).isEqualTo("{\"step\":2}");
        assertThat(entry.get("version").asLong()).isEqualTo(2);
        assertThat(entry.has("expires_at")).isFalse();
        assertThat(entry.has("updated_at")).isTrue();

        set("{\"key\":\"a-first\",\"value\":\"text\"}");
        List<String> keys = new ArrayList<>();
        http.get(path, admin()).json().forEach(e -> keys.add(e.get("key").asText()));
        assertThat(keys).containsSubsequence("a-first", "plan");

        assertThat(http.delete(path + "/plan", admin()).body()).isEqualTo("{\"status\":\"deleted\"}");
        assertThat(http.delete(path + "/plan", admin()).body()).isEqualTo("{\"status\":\"deleted\"}");
        Http.Response gone = http.get(path + "/plan", admin());
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo("{\"error\":\"key not found\"}");
    }

    @Test
    void ifMatchVersionConflictsHaveTheSpecShapes() {
        assertThat(set("{\"key\":\"lock\",\"value\":1,\"if_match_version\":0}").json().get("version").asLong()).isEqualTo(1);
        Http.Response createOnly = set("{\"key\":\"lock\",\"value\":2,\"if_match_version\":0}");
        assertThat(createOnly.status()).isEqualTo(409);
        assertThat(createOnly.body()).isEqualTo("{\"error\":\"if_match_version mismatch\",\"expected_version\":0,\"current_version\":1}");

        assertThat(set("{\"key\":\"lock\",\"value\":3,\"if_match_version\":1}").json().get("version").asLong()).isEqualTo(2);
        Http.Response stale = set("{\"key\":\"lock\",\"value\":4,\"if_match_version\":1}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body()).isEqualTo("{\"error\":\"if_match_version mismatch\",\"expected_version\":1,\"current_version\":2}");
        assertThat(http.get(path + "/lock", admin()).json().get("value").asInt()).isEqualTo(3);

        Http.Response missing = set("{\"key\":\"nothing-here\",\"value\":1,\"if_match_version\":3}");
        assertThat(missing.status()).isEqualTo(409);
        assertThat(missing.body())
                .isEqualTo("{\"error\":\"if_match_version mismatch: key does not exist\",\"expected_version\":3,\"current_version\":null}");
    }

    @Test
    void concurrentCreateOnlyWritesLetExactlyOneWin() throws Exception {
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                results.add(pool.submit((Callable<Integer>) () ->
                        set("{\"key\":\"race\",\"value\":" + n + ",\"if_match_version\":0}").status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) statuses.add(f.get());
            assertThat(statuses).containsOnly(200, 409);
            assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        }
    }

    @Test
    void expiredEntriesVanishFromReads() {
        JsonNode r = set("{\"key\":\"short\",\"value\":\"soon gone\",\"ttl_seconds\":1}").json();
        assertThat(r.get("version").asLong()).isEqualTo(1);
        set("{\"key\":\"long\",\"value\":\"stays\",\"ttl_seconds\":3600}");
        JsonNode entry = http.get(path + "/short", admin()).json();
        assertThat(entry.has("expires_at")).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> http.get(path + "/short", admin()).status() == 404);
        List<String> keys = new ArrayList<>();
        http.get(path, admin()).json().forEach(e -> keys.add(e.get("key").asText()));
        assertThat(keys).doesNotContain("short").contains("long");
        // An expired key counts as absent: if_match_version on it conflicts, a new write restarts at 1.
        assertThat(set("{\"key\":\"short\",\"value\":1,\"if_match_version\":1}").status()).isEqualTo(409);
        assertThat(set("{\"key\":\"short\",\"value\":\"back\",\"if_match_version\":0}").json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void badInput() {
        assertThat(set("{\"value\":1}").body()).isEqualTo("{\"error\":\"key is required\"}");
        assertThat(set("{\"key\":\"\",\"value\":1}").body()).isEqualTo("{\"error\":\"key is required\"}");
        assertThat(set("{\"key\":\"k\",\"ttl_seconds\":\"soon\"}").status()).isEqualTo(400);
        assertThat(set("[1]").body()).isEqualTo("{\"error\":\"invalid request body\"}");
        assertThat(http.post(path, "{\"key\":\"k\",\"value\":1}").status()).isEqualTo(401);
        assertThat(http.post("/workspaces/00000000-0000-4000-8000-000000000000/memory", "{\"key\":\"k\",\"value\":1}", admin())
                .status()).isEqualTo(404);
    }
}
