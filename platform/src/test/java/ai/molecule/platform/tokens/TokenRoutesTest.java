package ai.molecule.platform.tokens;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Workspace tokens and the test-token bootstrap (spec §1.12, §2.1). */
class TokenRoutesTest {
    static final String SAVE_MESSAGE = "Save this token now — it cannot be retrieved again.";
    static TestPlatform platform;
    static Http http;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("MOLECULE_ENV", "development");
        http = platform.http();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void mintListAndRevoke() {
        String id = platform.createWorkspace("{\"name\":\"t\"}");
        Http.Response empty = http.get("/workspaces/" + id + "/tokens");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).isEqualTo("{\"tokens\":[],\"count\":0}");

        Http.Response minted = http.post("/workspaces/" + id + "/tokens", null);
        assertThat(minted.status()).isEqualTo(201);
        JsonNode m = minted.json();
        assertThat(m.fieldNames()).toIterable().containsExactlyInAnyOrder("auth_token", "workspace_id", "message");
        assertThat(m.get("message").asText()).isEqualTo(SAVE_MESSAGE);
        assertThat(m.get("workspace_id").asText()).isEqualTo(id);
        String token = m.get("auth_token").asText();
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);

        // the new token authenticates its workspace (a present bearer is checked even in dev mode)
        Http.Response list = http.get("/workspaces/" + id + "/tokens", "Authorization", bearer(token));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(token);
        JsonNode l = list.json();
        assertThat(l.get("count").asInt()).isEqualTo(1);
        JsonNode entry = l.get("tokens").get(0);
        assertThat(entry.fieldNames()).toIterable().containsExactly("id", "prefix", "created_at", "last_used_at");
        assertThat(entry.get("prefix").asText()).isEqualTo(token.substring(0, 8));
        String tokenId = entry.get("id").asText();
        // last_used_at is bumped in the background (write-behind), at most once a minute per token
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                http.get("/workspaces/" + id + "/tokens", "Authorization", bearer(token)).json().get("tokens").get(0)
                        .get("last_used_at").isNull()).as("bumped by the first request").isFalse());

        Http.Response revoked = http.delete("/workspaces/" + id + "/tokens/" + tokenId);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body()).isEqualTo("{\"status\":\"revoked\"}");
        Http.Response again = http.delete("/workspaces/" + id + "/tokens/" + tokenId);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body()).isEqualTo("{\"error\":\"token not found or already revoked\"}");
        Http.Response notUuid = http.delete("/workspaces/" + id + "/tokens/nope");
        assertThat(notUuid.status()).isEqualTo(404);
        assertThat(notUuid.json().get("error").asText()).isEqualTo("token not found or already revoked");

        Http.Response withRevoked = http.get("/workspaces/" + id + "/tokens", "Authorization", bearer(token));
        assertThat(withRevoked.status()).isEqualTo(401);
        assertThat(withRevoked.json().get("error").asText()).isEqualTo("invalid workspace auth token");
        assertThat(http.get("/workspaces/" + id + "/tokens").body()).isEqualTo("{\"tokens\":[],\"count\":0}");
    }

    @Test
    void tokenOfOneWorkspaceCannotBeRevokedThroughAnother() {
        String a = platform.createWorkspace("{\"name\":\"a\"}");
        String b = platform.createWorkspace("{\"name\":\"b\"}");
        http.post("/workspaces/" + a + "/tokens", null);
        String tokenId = http.get("/workspaces/" + a + "/tokens").json().get("tokens").get(0).get("id").asText();
        Http.Response r = http.delete("/workspaces/" + b + "/tokens/" + tokenId);
        assertThat(r.status()).isEqualTo(404);
        assertThat(http.get("/workspaces/" + a + "/tokens").json().get("count").asInt()).isEqualTo(1);
    }

    @Test
    void fiftyLiveTokensAtMost() {
        String id = platform.createWorkspace("{\"name\":\"many\"}");
        for (int i = 0; i < 50; i++) {
            assertThat(http.post("/workspaces/" + id + "/tokens", null).status()).as("token %d", i + 1).isEqualTo(201);
        }
        Http.Response over = http.post("/workspaces/" + id + "/tokens", null);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.body()).isEqualTo("{\"error\":\"maximum 50 active tokens per workspace\"}");

        JsonNode list = http.get("/workspaces/" + id + "/tokens?limit=200").json();
        assertThat(list.get("count").asInt()).isEqualTo(50);
        assertThat(http.get("/workspaces/" + id + "/tokens").json().get("count").asInt()).as("default page 50").isEqualTo(50);
        assertThat(http.get("/workspaces/" + id + "/tokens?limit=10&offset=45").json().get("count").asInt()).isEqualTo(5);

        http.delete("/workspaces/" + id + "/tokens/" + list.get("tokens").get(0).get("id").asText());
        assertThat(http.post("/workspaces/" + id + "/tokens", null).status()).as("room again after a revoke").isEqualTo(201);
    }

    @Test
    void testTokenMintsAnAdditionalToken() {
        String id = platform.createWorkspace("{\"name\":\"tt\"}");
        String first = platform.register(id);
        Http.Response r = http.get("/admin/workspaces/" + id + "/test-token");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().fieldNames()).toIterable().containsExactlyInAnyOrder("auth_token", "workspace_id");
        assertThat(r.json().get("workspace_id").asText()).isEqualTo(id);
        String second = r.json().get("auth_token").asText();
        assertThat(second).isNotEqualTo(first);

        for (String t : List.of(first, second)) {
            assertThat(http.get("/workspaces/" + id + "/tokens", "Authorization", bearer(t)).status()).isEqualTo(200);
        }
        assertThat(http.get("/workspaces/" + id + "/tokens").json().get("count").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"00000000-0000-0000-0000-000000000bad", "not-a-uuid"})
    void testTokenOfUnknownWorkspaceIs404(String id) {
        Http.Response r = http.get("/admin/workspaces/" + id + "/test-token");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"workspace not found\"}");
    }

    @Test
    void mintingForUnknownWorkspaceIs404() {
        Http.Response r = http.post("/workspaces/" + UUID.randomUUID() + "/tokens", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("workspace not found");
    }

    @Test
    void storedOnlyAsSha256Hash() throws Exception {
        String id = platform.createWorkspace("{\"name\":\"hash\"}");
        String token = http.post("/workspaces/" + id + "/tokens", null).json().get("auth_token").asText();
        try (Connection c = DriverManager.getConnection(platform.databaseUrl());
             PreparedStatement s = c.prepareStatement("SELECT * FROM workspace_auth_tokens WHERE workspace_id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                byte[] expected = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
                assertThat(rs.getBytes("token_hash")).isEqualTo(expected);
                assertThat(rs.getString("prefix")).isEqualTo(token.substring(0, 8));
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    String text = v instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(v);
                    if (text.contains(token)) columns.add(rs.getMetaData().getColumnName(i));
                }
                assertThat(columns).as("columns holding the plaintext").isEmpty();
                assertThat(rs.next()).isFalse();
            }
        }
    }

    /** Outside dev mode every token route needs the workspace's own bearer (spec §2.4). */
    @Test
    void everyRouteNeedsTheWorkspacesOwnBearer() {
        try (TestPlatform p = TestPlatform.start()) {
            Http h = p.http();
            String a = p.createWorkspace("{\"name\":\"a\"}");
            String b = p.createWorkspace("{\"name\":\"b\"}");
            String tokenA = p.register(a);
            String tokenB = p.register(b);
            String tokenIdA = h.get("/workspaces/" + a + "/tokens", "Authorization", bearer(tokenA))
                    .json().get("tokens").get(0).get("id").asText();
            record Call(String method, String path) {
            }
            for (Call call : List.of(new Call("GET", "/workspaces/" + a + "/tokens"),
                    new Call("POST", "/workspaces/" + a + "/tokens"),
                    new Call("DELETE", "/workspaces/" + a + "/tokens/" + tokenIdA))) {
                Http.Response none = h.send(call.method(), call.path(), null);
                assertThat(none.status()).as("%s without bearer", call).isEqualTo(401);
                assertThat(none.json().get("error").asText()).isEqualTo("missing workspace auth token");
                Http.Response other = h.send(call.method(), call.path(), null, "Authorization", bearer(tokenB));
                assertThat(other.status()).as("%s with another workspace's token", call).isEqualTo(401);
                assertThat(other.json().get("error").asText()).isEqualTo("invalid workspace auth token");
            }
            assertThat(h.post("/workspaces/" + a + "/tokens", null, "Authorization", bearer(tokenA)).status()).isEqualTo(201);
            assertThat(h.delete("/workspaces/" + a + "/tokens/" + tokenIdA, "Authorization", bearer(tokenA)).status()).isEqualTo(200);
            // test-token without ADMIN_TOKEN is open (the E2E bootstrap) even once tokens exist
            assertThat(h.get("/admin/workspaces/" + a + "/test-token").status()).isEqualTo(200);
        }
    }

    @Test
    void testTokenNeedsAdminTokenWhenSet() {
        try (TestPlatform p = TestPlatform.start("ADMIN_TOKEN", "admin-secret")) {
            String id = p.createWorkspace("{\"name\":\"w\"}", "Authorization", "Bearer admin-secret");
            Http.Response none = p.http().get("/admin/workspaces/" + id + "/test-token");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.body()).isEqualTo("{\"error\":\"admin auth required\"}");
            Http.Response wrong = p.http().get("/admin/workspaces/" + id + "/test-token", "Authorization", "Bearer nope");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(p.http().get("/admin/workspaces/" + id + "/test-token", "Authorization", "Bearer admin-secret").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void testTokenIsOffInProductionUnlessForced() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        try (TestPlatform prod = TestPlatform.start("MOLECULE_ENV", "production", "SECRETS_ENCRYPTION_KEY", key)) {
            String id = prod.createWorkspace("{\"name\":\"w\"}");
            Http.Response r = prod.http().get("/admin/workspaces/" + id + "/test-token");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"error\":\"not found\"}");
            try (TestPlatform forced = TestPlatform.sharing(prod, "MOLECULE_ENV", "production",
                    "SECRETS_ENCRYPTION_KEY", key, "MOLECULE_ENABLE_TEST_TOKENS", "1")) {
                assertThat(forced.http().get("/admin/workspaces/" + id + "/test-token").status()).isEqualTo(200);
            }
        }
    }
}
