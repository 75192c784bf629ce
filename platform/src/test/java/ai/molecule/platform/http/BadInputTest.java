package ai.molecule.platform.http;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input is a clear 4xx, never a 500: malformed ids with a bearer, NUL characters (which
 * PostgreSQL refuses in text and jsonb), JSON nested deeper than the edge allows.
 */
class BadInputTest {
    private static final String ADMIN = "bad-input-admin";
    private static final String NUL = "\\u0000"; // the JSON escape, as a client sends it

    static TestPlatform platform;
    static Http http;
    static String ws;
    static String token;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN);
        http = platform.http();
        ws = platform.createWorkspace("{\"name\":\"target\"}", admin());
        token = platform.register(ws);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String[] admin() {
        return new String[]{"Authorization", bearer(ADMIN)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"/workspaces/nope/state", "/workspaces/nope/secrets/values", "/workspaces/nope/activity",
            "/workspaces/1234/tokens"})
    void malformedWorkspaceIdWithAWorkspaceBearerIs401(String path) {
        Http.Response r = http.get(path, "Authorization", bearer(token));
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid workspace auth token");
        Http.Response unknownBearer = http.get(path, "Authorization", bearer("not-a-token"));
        assertThat(unknownBearer.status()).as(unknownBearer.toString()).isEqualTo(401);
    }

    @Test
    void nulInAStringFieldIs400AndNothingIsStored() {
        Http.Response r = http.post("/workspaces", "{\"name\":\"a" + NUL + "b\"}", admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid request body");
        assertThat(http.get("/workspaces", admin()).body()).doesNotContain("\\u0000");
    }

    @Test
    void nulInANestedValueOrAFieldNameIs400() {
        String card = "{\"name\":\"agent\",\"skills\":[{\"description\":\"x" + NUL + "\"}]}";
        Http.Response nested = http.post("/registry/update-card",
                "{\"workspace_id\":\"" + ws + "\",\"agent_card\":" + card + "}", "Authorization", bearer(token));
        assertThat(nested.status()).as(nested.toString()).isEqualTo(400);
        Http.Response key = http.put("/settings/secrets", "{\"key\":\"K\",\"value\":\"v\",\"x" + NUL + "\":1}", admin());
        assertThat(key.status()).as(key.toString()).isEqualTo(400);
        Http.Response secret = http.put("/settings/secrets", "{\"key\":\"K\",\"value\":\"v" + NUL + "\"}", admin());
        assertThat(secret.status()).as(secret.toString()).isEqualTo(400);
        Http.Response activity = http.post("/workspaces/" + ws + "/activity",
                "{\"activity_type\":\"agent_log\",\"summary\":\"s" + NUL + "\"}", "Authorization", bearer(token));
        assertThat(activity.status()).as(activity.toString()).isEqualTo(400);
    }

    @Test
    void anEscapedBackslashBeforeU0000IsOrdinaryText() {
        // "\\u0000" in JSON is the six characters \u0000, not a NUL
        Http.Response r = http.post("/workspaces/" + ws + "/activity",
                "{\"activity_type\":\"agent_log\",\"summary\":\"literal \\\\u0000 text\"}", "Authorization", bearer(token));
        assertThat(r.status()).as(r.toString()).isLessThan(300);
    }

    @Test
    void rawNulInTheBodyIs400() {
        Http.Response r = http.post("/workspaces", "{\"name\":\"a\u0000b\"}", admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
    }

    @Test
    void nulInAQueryParameterIs400() {
        Http.Response r = http.get("/workspaces/" + ws + "/activity?type=%00x", "Authorization", bearer(token));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid query parameter");
    }

    @Test
    void deeplyNestedAgentCardIsRefusedAndEventsStayReadable() {
        Http.Response r = http.post("/registry/update-card",
                "{\"workspace_id\":\"" + ws + "\",\"agent_card\":" + nested(1000) + "}", "Authorization", bearer(token));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid request body");
        assertThat(r.json().get("detail").asText()).contains("64");
        Http.Response ok = http.post("/registry/update-card",
                "{\"workspace_id\":\"" + ws + "\",\"agent_card\":" + nested(60) + "}", "Authorization", bearer(token));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        Http.Response events = http.get("/events", admin());
        assertThat(events.status()).as(events.toString()).isEqualTo(200);
    }

    @Test
    void deeplyNestedArraysAnywhereAreRefused() {
        Http.Response r = http.post("/workspaces", "{\"name\":\"deep\",\"config\":{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}}",
                admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{\"name\":\"deep\"}" + "}".repeat(depth - 1);
    }
}
