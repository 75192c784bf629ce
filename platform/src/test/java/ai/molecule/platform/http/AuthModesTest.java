package ai.molecule.platform.http;

import ai.molecule.platform.StartupException;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The auth tiers (spec §2.3 AdminAuth, §2.4 WorkspaceAuth, §2.5 CanvasOrBearer) and the
 * cross-cutting middleware of §2.7, each against a real platform started in that mode.
 */
class AuthModesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "the-admin-token";
    private static final String WRONG = "definitely-not-a-live-token-aaaaaaaaaaaaaaa";
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    /** One platform per mode, each with workspaces A (the :id under test) and B (another one). */
    enum Mode { FAIL_OPEN, TOKENS, ADMIN_TOKEN, DEV }

    /** The routes probed: two AdminAuth routes and three WorkspaceAuth routes on A. */
    enum Route {
        LIST_WORKSPACES("GET", "/workspaces", null, 200),
        CREATE_WORKSPACE("POST", "/workspaces", "{\"name\":\"probe\"}", 201),
        PATCH_WORKSPACE("PATCH", "/workspaces/{id}", "{\"role\":\"probed\"}", 200),
        LIST_SECRETS("GET", "/workspaces/{id}/secrets", null, 200),
        STATE("GET", "/workspaces/{id}/state", null, 200);

        final String method, path, body;
        final int ok;

        Route(String method, String path, String body, int ok) {
            this.method = method;
            this.path = path;
            this.body = body;
            this.ok = ok;
        }
    }

    /** Which bearer the request carries. */
    enum Cred { NONE, WRONG, OWN, OTHER, ADMIN }

    record Env(TestPlatform platform, String a, String tokenA, String tokenB) {
    }

    static final Map<Mode, Env> envs = new java.util.EnumMap<>(Mode.class);

    @BeforeAll
    static void startModes() {
        // No token anywhere, no ADMIN_TOKEN: A and B exist but nobody minted a token.
        TestPlatform open = TestPlatform.start("MOLECULE_ENABLE_TEST_TOKENS", "1");
        envs.put(Mode.FAIL_OPEN, new Env(open, open.createWorkspace("{\"name\":\"A\"}"), null, null));

        TestPlatform tokens = TestPlatform.start("MOLECULE_ENABLE_TEST_TOKENS", "1");
        envs.put(Mode.TOKENS, withTokens(tokens));

        TestPlatform admin = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_ENABLE_TEST_TOKENS", "1");
        envs.put(Mode.ADMIN_TOKEN, withTokens(admin, "Authorization", Http.bearer(ADMIN)));

        TestPlatform dev = TestPlatform.start("MOLECULE_ENV", "development");
        envs.put(Mode.DEV, withTokens(dev));
    }

    private static Env withTokens(TestPlatform p, String... adminHeaders) {
        String a = p.createWorkspace("{\"name\":\"A\"}", adminHeaders);
        String b = p.createWorkspace("{\"name\":\"B\"}", adminHeaders);
        return new Env(p, a, testToken(p, a, adminHeaders), testToken(p, b, adminHeaders));
    }

    @AfterAll
    static void stopModes() {
        envs.values().forEach(e -> e.platform().close());
    }

    @ParameterizedTest(name = "{0} {1} bearer={2} → {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # no live token anywhere and no ADMIN_TOKEN: AdminAuth fails open, WorkspaceAuth never does
            FAIL_OPEN   | LIST_WORKSPACES  | NONE  | 200 | -
            FAIL_OPEN   | CREATE_WORKSPACE | NONE  | 201 | -
            FAIL_OPEN   | LIST_WORKSPACES  | WRONG | 200 | -
            FAIL_OPEN   | PATCH_WORKSPACE  | NONE  | 401 | missing workspace auth token
            FAIL_OPEN   | LIST_SECRETS     | NONE  | 401 | missing workspace auth token
            FAIL_OPEN   | STATE            | NONE  | 401 | missing workspace auth token
            FAIL_OPEN   | PATCH_WORKSPACE  | WRONG | 401 | invalid workspace auth token
            # a token exists, ADMIN_TOKEN unset: any workspace token is an admin token (deprecated tier)
            TOKENS      | LIST_WORKSPACES  | NONE  | 401 | admin auth required
            TOKENS      | CREATE_WORKSPACE | NONE  | 401 | admin auth required
            TOKENS      | LIST_WORKSPACES  | WRONG | 401 | invalid admin auth token
            TOKENS      | CREATE_WORKSPACE | WRONG | 401 | invalid admin auth token
            TOKENS      | LIST_WORKSPACES  | OTHER | 200 | -
            TOKENS      | CREATE_WORKSPACE | OTHER | 201 | -
            TOKENS      | LIST_WORKSPACES  | OWN   | 200 | -
            TOKENS      | PATCH_WORKSPACE  | NONE  | 401 | missing workspace auth token
            TOKENS      | PATCH_WORKSPACE  | WRONG | 401 | invalid workspace auth token
            TOKENS      | PATCH_WORKSPACE  | OTHER | 401 | invalid workspace auth token
            TOKENS      | PATCH_WORKSPACE  | OWN   | 200 | -
            TOKENS      | LIST_SECRETS     | NONE  | 401 | missing workspace auth token
            TOKENS      | LIST_SECRETS     | WRONG | 401 | invalid workspace auth token
            TOKENS      | LIST_SECRETS     | OTHER | 401 | invalid workspace auth token
            TOKENS      | LIST_SECRETS     | OWN   | 200 | -
            TOKENS      | STATE            | NONE  | 401 | missing workspace auth token
            TOKENS      | STATE            | WRONG | 401 | invalid workspace auth token
            TOKENS      | STATE            | OTHER | 401 | invalid workspace auth token
            TOKENS      | STATE            | OWN   | 200 | -
            # ADMIN_TOKEN set: it opens everything; workspace tokens no longer open admin routes
            ADMIN_TOKEN | LIST_WORKSPACES  | NONE  | 401 | admin auth required
            ADMIN_TOKEN | LIST_WORKSPACES  | WRONG | 401 | invalid admin auth token
            ADMIN_TOKEN | LIST_WORKSPACES  | OTHER | 401 | invalid admin auth token
            ADMIN_TOKEN | CREATE_WORKSPACE | OWN   | 401 | invalid admin auth token
            ADMIN_TOKEN | LIST_WORKSPACES  | ADMIN | 200 | -
            ADMIN_TOKEN | CREATE_WORKSPACE | ADMIN | 201 | -
            ADMIN_TOKEN | PATCH_WORKSPACE  | ADMIN | 200 | -
            ADMIN_TOKEN | LIST_SECRETS     | ADMIN | 200 | -
            ADMIN_TOKEN | STATE            | ADMIN | 200 | -
            ADMIN_TOKEN | PATCH_WORKSPACE  | OWN   | 200 | -
            ADMIN_TOKEN | STATE            | OWN   | 200 | -
            ADMIN_TOKEN | PATCH_WORKSPACE  | NONE  | 401 | missing workspace auth token
            ADMIN_TOKEN | LIST_SECRETS     | OTHER | 401 | invalid workspace auth token
            ADMIN_TOKEN | STATE            | WRONG | 401 | invalid workspace auth token
            # MOLECULE_ENV=development without ADMIN_TOKEN: no bearer passes; a wrong one never does on :id routes
            DEV         | LIST_WORKSPACES  | NONE  | 200 | -
            DEV         | CREATE_WORKSPACE | NONE  | 201 | -
            DEV         | PATCH_WORKSPACE  | NONE  | 200 | -
            DEV         | LIST_SECRETS     | NONE  | 200 | -
            DEV         | STATE            | NONE  | 200 | -
            DEV         | PATCH_WORKSPACE  | WRONG | 401 | invalid workspace auth token
            DEV         | LIST_SECRETS     | WRONG | 401 | invalid workspace auth token
            DEV         | STATE            | WRONG | 401 | invalid workspace auth token
            DEV         | STATE            | OTHER | 401 | invalid workspace auth token
            DEV         | STATE            | OWN   | 200 | -
            """)
    void authTiers(Mode mode, Route route, Cred cred, int status, String error) {
        Env env = envs.get(mode);
        String bearer = switch (cred) {
            case NONE -> null;
            case WRONG -> WRONG;
            case OWN -> env.tokenA();
            case OTHER -> env.tokenB();
            case ADMIN -> ADMIN;
        };
        String[] headers = bearer == null ? new String[0] : new String[]{"Authorization", Http.bearer(bearer)};
        Http.Response r = env.platform().http().send(route.method, route.path.replace("{id}", env.a()), route.body, headers);
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        if (error != null) assertThat(r.json()).isEqualTo(json("{\"error\":\"" + error + "\"}"));
        else assertThat(status).isEqualTo(route.ok);
    }

    @Test
    void adminTokenTurnsFailOpenOffEvenWithoutAnyWorkspaceToken() {
        try (TestPlatform p = TestPlatform.start("ADMIN_TOKEN", ADMIN)) {
            Http.Response r = p.http().get("/workspaces");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json()).isEqualTo(json("{\"error\":\"admin auth required\"}"));
            assertThat(p.http().get("/workspaces", "Authorization", Http.bearer(ADMIN)).body()).isEqualTo("[]");
        }
    }

    @Test
    void failOpenReturnsOnceTheLastTokenDiesWithItsWorkspace() {
        try (TestPlatform p = TestPlatform.start("MOLECULE_ENABLE_TEST_TOKENS", "1")) {
            String a = p.createWorkspace("{\"name\":\"A\"}");
            String token = testToken(p, a);
            assertThat(p.http().get("/workspaces").status()).isEqualTo(401);
            assertThat(p.http().delete("/workspaces/" + a, "Authorization", Http.bearer(token)).status()).isEqualTo(200);
            assertThat(p.http().get("/workspaces").status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- dev mode and rate limiting

    @Test
    void devModeDisablesRateLimiting() {
        try (TestPlatform p = TestPlatform.start("MOLECULE_ENV", "development", "RATE_LIMIT", "1")) {
            for (int i = 0; i < 3; i++) {
                Http.Response r = p.http().get("/health");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("X-RateLimit-Limit")).isEqualTo("unlimited");
            }
        }
    }

    @Test
    void fourthRequestInTheWindowIsRateLimited() {
        // A fixed one-minute window: if the four requests straddle a window boundary, try again.
        for (int attempt = 0; attempt < 3; attempt++) {
            try (TestPlatform p = TestPlatform.start("RATE_LIMIT", "3")) {
                List<Http.Response> rs = new ArrayList<>();
                for (int i = 0; i < 4; i++) rs.add(p.http().get("/health"));
                if (rs.stream().map(r -> r.header("X-RateLimit-Reset")).distinct().count() > 1) continue;

                for (int i = 0; i < 3; i++) {
                    assertThat(rs.get(i).status()).isEqualTo(200);
                    assertThat(rs.get(i).header("X-RateLimit-Limit")).isEqualTo("3");
                    assertThat(rs.get(i).header("X-RateLimit-Remaining")).isEqualTo(String.valueOf(2 - i));
                }
                Http.Response limited = rs.get(3);
                assertThat(limited.status()).isEqualTo(429);
                JsonNode body = limited.json();
                assertThat(body.get("error").asText()).isEqualTo("rate limit exceeded");
                long retryAfter = body.get("retry_after").asLong();
                assertThat(retryAfter).isBetween(1L, 60L);
                assertThat(limited.header("Retry-After")).isEqualTo(String.valueOf(retryAfter));
                assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("3");
                assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
                long reset = Long.parseLong(limited.header("X-RateLimit-Reset"));
                assertThat(reset).isGreaterThan(System.currentTimeMillis() / 1000 - 1);
                return;
            }
        }
        throw new AssertionError("every attempt straddled a rate-limit window boundary");
    }

    // ---------------------------------------------------------------- production and the test-token route

    @Test
    void productionHidesTestTokenRoute() {
        try (TestPlatform p = TestPlatform.start("MOLECULE_ENV", "production", "SECRETS_ENCRYPTION_KEY", KEY)) {
            String a = p.createWorkspace("{\"name\":\"A\"}");
            Http.Response r = p.http().get("/admin/workspaces/" + a + "/test-token");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"error\":\"not found\"}");
        }
    }

    @Test
    void productionWithTestTokensForcedMintsATokenThatWorks() {
        try (TestPlatform p = TestPlatform.start("MOLECULE_ENV", "production", "SECRETS_ENCRYPTION_KEY", KEY,
                "MOLECULE_ENABLE_TEST_TOKENS", "1")) {
            String a = p.createWorkspace("{\"name\":\"A\"}");
            Http.Response r = p.http().get("/admin/workspaces/" + a + "/test-token");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("workspace_id").asText()).isEqualTo(a);
            String token = r.json().get("auth_token").asText();
            assertThat(p.http().get("/workspaces/" + a + "/state", "Authorization", Http.bearer(token)).status()).isEqualTo(200);
            // a second call mints an additional token; the first stays live
            assertThat(testToken(p, a)).isNotEqualTo(token);
            assertThat(p.http().get("/workspaces/" + a + "/state", "Authorization", Http.bearer(token)).status()).isEqualTo(200);
        }
    }

    /** The test-token route is on only in development (or forced): "prod", unset and other values hide it. */
    @ParameterizedTest
    @ValueSource(strings = {"prod", " Production ", "", "staging"})
    void testTokenRouteIsOffOutsideDevelopment(String env) {
        try (TestPlatform p = TestPlatform.start("MOLECULE_ENV", env, "SECRETS_ENCRYPTION_KEY", KEY)) {
            String a = p.createWorkspace("{\"name\":\"A\"}");
            Http.Response r = p.http().get("/admin/workspaces/" + a + "/test-token");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"error\":\"not found\"}");
        }
        assertThatThrownBy(() -> TestPlatform.start("MOLECULE_ENV", "prod").close())
                .isInstanceOf(StartupException.class);
    }

    @Test
    void productionWithoutEncryptionKeyRefusesToStart() {
        assertThatThrownBy(() -> TestPlatform.start("MOLECULE_ENV", "production").close())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("SECRETS_ENCRYPTION_KEY");
    }

    @Test
    void productionWithMalformedEncryptionKeyRefusesToStart() {
        assertThatThrownBy(() -> TestPlatform.start("MOLECULE_ENV", "production", "SECRETS_ENCRYPTION_KEY", "too-short").close())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("SECRETS_ENCRYPTION_KEY");
    }

    @Test
    void testTokenRequiresAdminBearerWhenAdminTokenIsSet() {
        try (TestPlatform p = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_ENABLE_TEST_TOKENS", "1")) {
            String a = p.createWorkspace("{\"name\":\"A\"}", "Authorization", Http.bearer(ADMIN));
            for (String[] headers : List.of(new String[0], new String[]{"Authorization", Http.bearer(WRONG)})) {
                Http.Response r = p.http().get("/admin/workspaces/" + a + "/test-token", headers);
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.json()).isEqualTo(json("{\"error\":\"admin auth required\"}"));
            }
            Http.Response ok = p.http().get("/admin/workspaces/" + a + "/test-token", "Authorization", Http.bearer(ADMIN));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().get("workspace_id").asText()).isEqualTo(a);

            Http.Response unknown = p.http().get("/admin/workspaces/" + java.util.UUID.randomUUID() + "/test-token",
                    "Authorization", Http.bearer(ADMIN));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json()).isEqualTo(json("{\"error\":\"workspace not found\"}"));
        }
    }

    // ---------------------------------------------------------------- CanvasOrBearer

    private static final String VIEWPORT = "{\"x\":10,\"y\":-4,\"zoom\":1.5}";

    @Test
    void canvasViewportPassesWithoutAnyLiveToken() {
        try (TestPlatform p = TestPlatform.start()) {
            Http.Response r = p.http().put("/canvas/viewport", VIEWPORT);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"saved\"}");
            assertThat(p.http().get("/canvas/viewport").body()).isEqualTo("{\"x\":10,\"y\":-4,\"zoom\":1.5}");
        }
    }

    @ParameterizedTest(name = "origin={0} bearer={1} → {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            http://localhost:3000      | NONE  | 200 | -
            http://localhost:3001      | NONE  | 200 | -
            HTTP://LOCALHOST:3000      | NONE  | 200 | -
            http://evil.example        | NONE  | 401 | admin auth required
            http://localhost:3000.evil | NONE  | 401 | admin auth required
            -                          | NONE  | 401 | admin auth required
            -                          | WRONG | 401 | invalid admin auth token
            http://localhost:3000      | WRONG | 401 | invalid admin auth token
            -                          | OWN   | 200 | -
            """)
    void canvasViewportOnceTokensExist(String origin, Cred cred, int status, String error) {
        Env env = envs.get(Mode.TOKENS);
        List<String> headers = new ArrayList<>();
        if (origin != null) headers.addAll(List.of("Origin", origin));
        if (cred == Cred.WRONG) headers.addAll(List.of("Authorization", Http.bearer(WRONG)));
        if (cred == Cred.OWN) headers.addAll(List.of("Authorization", Http.bearer(env.tokenA())));
        Http.Response r = env.platform().http().put("/canvas/viewport", VIEWPORT, headers.toArray(String[]::new));
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        if (error != null) assertThat(r.json()).isEqualTo(json("{\"error\":\"" + error + "\"}"));
    }

    // ---------------------------------------------------------------- bind policy

    @Test
    void publicBindWithoutAdminTokenRefusesToStart() {
        assertThatThrownBy(() -> TestPlatform.start("BIND_ADDRESS", "0.0.0.0").close())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("ADMIN_TOKEN");
    }

    @ParameterizedTest
    @CsvSource({"ADMIN_TOKEN, the-admin-token", "MOLECULE_ENV, development"})
    void publicBindStartsWithAdminTokenOrInDevelopment(String name, String value) {
        try (TestPlatform p = TestPlatform.start("BIND_ADDRESS", "0.0.0.0", "PORT", "0", name, value)) {
            assertThat(p.port()).isPositive();
            Http.Response r = p.http().get("/health");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    // ---------------------------------------------------------------- security headers and CORS

    @Test
    void securityHeadersOnApiAndOtherPaths() {
        Http http = envs.get(Mode.TOKENS).platform().http();
        for (Http.Response r : List.of(http.get("/health"), http.get("/workspaces"), http.get("/workspaces/not-a-uuid"))) {
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.header("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
            assertThat(r.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
            assertThat(r.header("Content-Security-Policy")).isEqualTo("default-src 'self'");
        }
        Http.Response canvasPath = http.get("/some/canvas/page");
        assertThat(canvasPath.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(canvasPath.header("Content-Security-Policy")).startsWith("default-src 'self'; script-src 'self'");
    }

    @Test
    void corsPreflightFromCanvasOriginIsAnsweredEvenWhenAuthIsClosed() {
        Http http = envs.get(Mode.TOKENS).platform().http();
        Http.Response r = http.send("OPTIONS", "/workspaces", null,
                "Origin", "http://localhost:3000", "Access-Control-Request-Method", "PATCH",
                "Access-Control-Request-Headers", "Authorization, Content-Type");
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(r.header("Access-Control-Allow-Methods")).contains("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
        assertThat(r.header("Access-Control-Allow-Headers")).contains("Authorization", "Content-Type", "X-Workspace-ID", "Origin");

        Http.Response simple = http.get("/health", "Origin", "http://localhost:3001");
        assertThat(simple.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3001");

        Http.Response foreign = http.send("OPTIONS", "/workspaces", null,
                "Origin", "http://evil.example", "Access-Control-Request-Method", "GET");
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void corsOriginsEnvReplacesTheDefaults() {
        try (TestPlatform p = TestPlatform.start("CORS_ORIGINS", "https://canvas.example.com")) {
            assertThat(p.http().get("/health", "Origin", "https://canvas.example.com").header("Access-Control-Allow-Origin"))
                    .isEqualTo("https://canvas.example.com");
            assertThat(p.http().get("/health", "Origin", "http://localhost:3000").header("Access-Control-Allow-Origin"))
                    .isNull();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String testToken(TestPlatform p, String id, String... headers) {
        Http.Response r = p.http().get("/admin/workspaces/" + id + "/test-token", headers);
        assertThat(r.status()).as("test-token %s", r).isEqualTo(200);
        return r.json().get("auth_token").asText();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
