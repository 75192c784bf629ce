package ai.molecule.platform.secrets;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
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

/** Workspace secrets, global secrets, the model setting and encryption at rest (spec §1.11). */
class SecretsTest {
    static final String BAD_KEY = "invalid secret key: use letters, digits and _ . - (an environment variable name)";
    static final String DECRYPT_FAILED = "one or more secrets failed to decrypt; refusing to return partial bundle";
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

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT"})
    void setListValuesAndDeleteWorkspaceSecret(String method) {
        String id = platform.createWorkspace("{\"name\":\"s\"}");
        Http.Response saved = http.send(method, "/workspaces/" + id + "/secrets", "{\"key\":\"API_KEY\",\"value\":\"sk-123\"}");
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.body()).isEqualTo("{\"status\":\"saved\",\"key\":\"API_KEY\"}");
        http.send(method, "/workspaces/" + id + "/secrets", "{\"key\":\"API_KEY\",\"value\":\"sk-456\"}");

        Http.Response list = http.get("/workspaces/" + id + "/secrets");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain("sk-");
        JsonNode mine = find(list.json(), "API_KEY");
        assertThat(mine.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("key", "has_value", "scope", "created_at", "updated_at");
        assertThat(mine.get("has_value").asBoolean()).isTrue();
        assertThat(mine.get("scope").asText()).isEqualTo("workspace");

        assertThat(http.get("/workspaces/" + id + "/secrets/values").json().get("API_KEY").asText()).as("upsert").isEqualTo("sk-456");

        Http.Response deleted = http.delete("/workspaces/" + id + "/secrets/API_KEY");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("{\"status\":\"deleted\",\"key\":\"API_KEY\"}");
        Http.Response again = http.delete("/workspaces/" + id + "/secrets/API_KEY");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body()).isEqualTo("{\"error\":\"secret not found\"}");
        assertThat(http.get("/workspaces/" + id + "/secrets/values").json().has("API_KEY")).isFalse();
    }

    /** A workspace gets its own secrets plus only the globals its config names (required_env, its models' keys). */
    @Test
    void globalsReachOnlyTheWorkspacesThatNameThemAndWorkspaceValuesWin() {
        String shared = "SHARED_" + suffix(), named = "NAMED_" + suffix(), unrelated = "UNRELATED_" + suffix();
        for (String k : List.of(shared, named, unrelated)) {
            assertThat(http.post("/settings/secrets", "{\"key\":\"" + k + "\",\"value\":\"global-" + k + "\"}").status()).isEqualTo(200);
        }
        assertThat(http.post("/settings/secrets", "{\"key\":\"MISTRAL_API_KEY\",\"value\":\"mk\"}").status()).isEqualTo(200);
        String id = platform.createWorkspace("{\"name\":\"g\",\"model\":\"scripted\",\"config\":{\"fallback_models\":[\"mistral:small\"],"
                + "\"runtime_config\":{\"required_env\":[\"" + shared + "\",\"" + named + "\"]}}}");
        http.post("/workspaces/" + id + "/secrets", "{\"key\":\"" + shared + "\",\"value\":\"ws-v\"}");

        JsonNode values = http.get("/workspaces/" + id + "/secrets/values").json();
        assertThat(values.get(shared).asText()).as("the workspace's value wins").isEqualTo("ws-v");
        assertThat(values.get(named).asText()).isEqualTo("global-" + named);
        assertThat(values.get("MISTRAL_API_KEY").asText()).as("the key of a model it runs on").isEqualTo("mk");
        assertThat(values.has(unrelated)).as("a global it does not name").isFalse();

        JsonNode list = http.get("/workspaces/" + id + "/secrets").json();
        assertThat(list.findValuesAsText("key").stream().filter(shared::equals)).as("listed once").hasSize(1);
        assertThat(find(list, shared).get("scope").asText()).isEqualTo("workspace");
        assertThat(find(list, named).get("scope").asText()).isEqualTo("global");
        assertThat(list.findValuesAsText("key")).as("the list follows the same rule").doesNotContain(unrelated);

        String other = platform.createWorkspace("{\"name\":\"other\",\"model\":\"scripted\"}");
        assertThat(http.get("/workspaces/" + other + "/secrets/values").json().isEmpty()).isTrue();
    }

    @Test
    void aTokenOfOneWorkspaceNeverReadsAnothersSecretsOrUnrelatedGlobals() {
        String unrelated = "UNRELATED_" + suffix();
        http.post("/settings/secrets", "{\"key\":\"" + unrelated + "\",\"value\":\"nope\"}");
        String a = platform.createWorkspace("{\"name\":\"a\",\"model\":\"scripted\"}");
        String b = platform.createWorkspace("{\"name\":\"b\",\"model\":\"scripted\"}");
        String tokenA = platform.register(a);
        platform.register(b);
        http.post("/workspaces/" + b + "/secrets", "{\"key\":\"B_ONLY\",\"value\":\"b-secret\"}");
        Http.Response own = http.get("/workspaces/" + a + "/secrets/values", "Authorization", bearer(tokenA));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body()).doesNotContain("nope", "b-secret");
        Http.Response other = http.get("/workspaces/" + b + "/secrets/values", "Authorization", bearer(tokenA));
        assertThat(other.status()).isEqualTo(401);
        assertThat(other.body()).doesNotContain("b-secret");
    }

    /** Keys that change how a process starts (loader, JVM, interpreter, shell): refused everywhere. */
    @ParameterizedTest
    @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "CLASSPATH", "LD_PRELOAD",
            "LD_LIBRARY_PATH", "ld_preload", "DYLD_INSERT_LIBRARIES", "PATH", "BASH_ENV", "ENV", "SHELL", "PYTHONPATH",
            "PYTHONSTARTUP", "NODE_OPTIONS", "PERL5OPT", "RUBYOPT", "GLIBC_TUNABLES"})
    void keysThatChangeHowAProcessStartsAreRefused(String key) {
        String id = platform.createWorkspace("{\"name\":\"deny\"}");
        String body = "{\"key\":\"" + key + "\",\"value\":\"-javaagent:/tmp/x.jar\"}";
        for (Http.Response r : List.of(http.post("/workspaces/" + id + "/secrets", body), http.put("/workspaces/" + id + "/secrets", body),
                http.post("/settings/secrets", body), http.put("/settings/secrets", body), http.post("/admin/secrets", body))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("secret key " + key
                    + " is not allowed: it changes how the agent's process starts");
        }
        Http.Response create = http.post("/workspaces", "{\"name\":\"deny2\",\"secrets\":{\"" + key + "\":\"x\"}}");
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.json().get("error").asText()).isEqualTo("invalid workspace fields");
        assertThat(create.json().get("detail").asText()).contains(key, "not allowed");
        assertThat(http.get("/workspaces/" + id + "/secrets").body()).doesNotContain(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/settings/secrets", "/admin/secrets"})
    void globalSecretsOnBothPaths(String base) {
        String key = "GLOBAL_" + suffix();
        Http.Response saved = http.post(base, "{\"key\":\"" + key + "\",\"value\":\"gv\"}");
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.body()).isEqualTo("{\"status\":\"saved\",\"key\":\"" + key + "\",\"scope\":\"global\"}");

        for (String listPath : List.of("/settings/secrets", "/admin/secrets")) {
            Http.Response list = http.get(listPath);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).doesNotContain("\"gv\"");
            JsonNode entry = find(list.json(), key);
            assertThat(entry.get("scope").asText()).isEqualTo("global");
            assertThat(entry.get("has_value").asBoolean()).isTrue();
            assertThat(entry.has("created_at") && entry.has("updated_at")).isTrue();
        }

        Http.Response deleted = http.delete(base + "/" + key);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("{\"status\":\"deleted\",\"key\":\"" + key + "\",\"scope\":\"global\"}");
        Http.Response again = http.delete(base + "/" + key);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body()).isEqualTo("{\"error\":\"secret not found\"}");
        assertThat(http.get(base).json().findValuesAsText("key")).doesNotContain(key);
    }

    @Test
    void putOnSettingsSecretsAlsoSetsAGlobal() {
        String key = "PUT_GLOBAL_" + suffix();
        Http.Response r = http.put("/settings/secrets", "{\"key\":\"" + key + "\",\"value\":\"pv\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(http.get("/admin/secrets").json().findValuesAsText("key")).contains(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"value\":\"v\"}", "{\"key\":\"K\"}", "{\"key\":\"\",\"value\":\"v\"}",
            "{\"key\":\"K\",\"value\":\"\"}", "{\"key\":1,\"value\":\"v\"}", "{oops", ""})
    void missingOrMalformedKeyValueIs400(String body) {
        String id = platform.createWorkspace("{\"name\":\"bad\"}");
        for (String path : List.of("/workspaces/" + id + "/secrets", "/settings/secrets", "/admin/secrets")) {
            Http.Response r = http.post(path, body);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"invalid request body\"}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "1ABC", "A=B", "A\\nB"})
    void invalidKeyIs400(String key) {
        String id = platform.createWorkspace("{\"name\":\"badkey\"}");
        String body = "{\"key\":\"" + key + "\",\"value\":\"v\"}";
        for (String path : List.of("/workspaces/" + id + "/secrets", "/settings/secrets", "/admin/secrets")) {
            Http.Response r = http.post(path, body);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo(BAD_KEY);
        }
    }

    @Test
    void invalidAndUnknownWorkspaceIds() {
        Http.Response invalid = http.get("/workspaces/not-a-uuid/secrets");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).isEqualTo("{\"error\":\"invalid workspace ID\"}");
        Http.Response unknown = http.post("/workspaces/" + UUID.randomUUID() + "/secrets", "{\"key\":\"K\",\"value\":\"v\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("workspace not found");
    }

    @Test
    void modelSetting() {
        String id = platform.createWorkspace("{\"name\":\"m\"}");
        String path = "/workspaces/" + id + "/model";
        assertThat(http.get(path).body()).isEqualTo("{\"model\":\"\",\"source\":\"default\"}");

        Http.Response saved = http.put(path, "{\"model\":\"anthropic:claude-x\"}");
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.body()).isEqualTo("{\"status\":\"saved\",\"model\":\"anthropic:claude-x\"}");
        assertThat(http.get(path).body()).isEqualTo("{\"model\":\"anthropic:claude-x\",\"source\":\"workspace_secrets\"}");
        assertThat(http.get("/workspaces/" + id + "/secrets/values").json().get("MODEL_PROVIDER").asText())
                .as("kept as the MODEL_PROVIDER secret").isEqualTo("anthropic:claude-x");

        Http.Response cleared = http.put(path, "{\"model\":\"\"}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.body()).isEqualTo("{\"status\":\"cleared\"}");
        assertThat(http.get(path).body()).isEqualTo("{\"model\":\"\",\"source\":\"default\"}");
    }

    @Test
    void encryptedAtRest() throws Exception {
        String id = platform.createWorkspace("{\"name\":\"enc\"}");
        String plain = "very-secret-plaintext-" + suffix();
        http.post("/workspaces/" + id + "/secrets", "{\"key\":\"ENC\",\"value\":\"" + plain + "\"}");
        String globalKey = "ENC_GLOBAL_" + suffix();
        http.post("/admin/secrets", "{\"key\":\"" + globalKey + "\",\"value\":\"" + plain + "\"}");

        List<Object[]> rows = new ArrayList<>();
        rows.add(row("SELECT encrypted_value, encryption_version FROM workspace_secrets WHERE workspace_id = ? AND key = 'ENC'", UUID.fromString(id)));
        rows.add(row("SELECT encrypted_value, encryption_version FROM global_secrets WHERE key = ?", globalKey));
        for (Object[] r : rows) {
            byte[] stored = (byte[]) r[0];
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(plain);
            assertThat(stored).hasSize(12 + plain.length() + 16); // nonce ‖ ciphertext ‖ GCM tag
            assertThat(r[1]).isEqualTo(1);
        }
        // two encryptions of the same plaintext differ (fresh nonce)
        assertThat((byte[]) rows.get(0)[0]).isNotEqualTo((byte[]) rows.get(1)[0]);
        assertThat(http.get("/workspaces/" + id + "/secrets/values").json().get("ENC").asText()).isEqualTo(plain);
    }

    /**
     * Beyond upstream (which stores raw bytes as version 0 without a key): a key is generated
     * once into MOLECULE_HOME/secrets.key (0600) and reused by later boots on that home.
     */
    @Test
    void withoutConfiguredKeyAKeyFileIsCreatedAndReused() throws Exception {
        try (TestPlatform first = TestPlatform.start("MOLECULE_ENV", "development")) {
            Path file = first.home().resolve("secrets.key");
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String keyText = Files.readString(file).trim();
            assertThat(Base64.getDecoder().decode(keyText)).hasSize(32);

            String id = first.createWorkspace("{\"name\":\"k\"}");
            first.http().post("/workspaces/" + id + "/secrets", "{\"key\":\"TOKEN\",\"value\":\"kept\"}");

            try (TestPlatform sameHome = TestPlatform.sharing(first, "MOLECULE_ENV", "development",
                    "MOLECULE_HOME", first.home().toString())) {
                assertThat(Files.readString(file).trim()).as("key file not rewritten").isEqualTo(keyText);
                Http.Response r = sameHome.http().get("/workspaces/" + id + "/secrets/values");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("TOKEN").asText()).isEqualTo("kept");
            }
            try (TestPlatform otherHome = TestPlatform.sharing(first, "MOLECULE_ENV", "development")) {
                assertThat(Files.readString(otherHome.home().resolve("secrets.key")).trim()).isNotEqualTo(keyText);
                Http.Response r = otherHome.http().get("/workspaces/" + id + "/secrets/values");
                assertThat(r.status()).as("a different generated key cannot read the values").isEqualTo(500);
            }
        }
    }

    @Test
    void configuredKeyIsUsedAndAWrongKeyFailsTheWholeBundle() {
        String keyA = randomKey(), keyB = randomKey();
        try (TestPlatform a = TestPlatform.start("MOLECULE_ENV", "development", "SECRETS_ENCRYPTION_KEY", keyA)) {
            assertThat(a.home().resolve("secrets.key")).as("no key file when a key is configured").doesNotExist();
            String id = a.createWorkspace("{\"name\":\"k\"}");
            a.http().post("/workspaces/" + id + "/secrets", "{\"key\":\"DB_PASSWORD\",\"value\":\"hunter2\"}");
            assertThat(a.http().get("/workspaces/" + id + "/secrets/values").body()).isEqualTo("{\"DB_PASSWORD\":\"hunter2\"}");

            try (TestPlatform b = TestPlatform.sharing(a, "MOLECULE_ENV", "development", "SECRETS_ENCRYPTION_KEY", keyB)) {
                b.http().post("/workspaces/" + id + "/secrets", "{\"key\":\"FRESH\",\"value\":\"readable-by-b\"}");
                Http.Response r = b.http().get("/workspaces/" + id + "/secrets/values");
                assertThat(r.status()).isEqualTo(500);
                assertThat(r.body()).doesNotContain("readable-by-b").doesNotContain("hunter2");
                assertThat(r.json().get("error").asText()).isEqualTo(DECRYPT_FAILED);
                assertThat(r.json().get("failed_keys").toString()).isEqualTo("[\"DB_PASSWORD\"]");
                // listing keys needs no decryption
                assertThat(b.http().get("/workspaces/" + id + "/secrets").status()).isEqualTo(200);
            }
            try (TestPlatform same = TestPlatform.sharing(a, "MOLECULE_ENV", "development", "SECRETS_ENCRYPTION_KEY", keyA)) {
                Http.Response r = same.http().get("/workspaces/" + id + "/secrets/values");
                assertThat(r.status()).isEqualTo(500);
                assertThat(r.json().get("failed_keys").toString()).as("the row B wrote with its key").isEqualTo("[\"FRESH\"]");
                same.http().delete("/workspaces/" + id + "/secrets/FRESH");
                assertThat(same.http().get("/workspaces/" + id + "/secrets/values").body()).isEqualTo("{\"DB_PASSWORD\":\"hunter2\"}");
            }
        }
    }

    @Test
    void valuesNeedTheWorkspacesOwnToken() {
        String a = platform.createWorkspace("{\"name\":\"a\"}");
        String b = platform.createWorkspace("{\"name\":\"b\"}");
        String tokenA = platform.register(a);
        String tokenB = platform.register(b);
        http.post("/workspaces/" + a + "/secrets", "{\"key\":\"MINE\",\"value\":\"v\"}", "Authorization", bearer(tokenA));

        Http.Response other = http.get("/workspaces/" + a + "/secrets/values", "Authorization", bearer(tokenB));
        assertThat(other.status()).isEqualTo(401);
        assertThat(other.body()).doesNotContain("\"v\"");
        assertThat(other.json().get("error").asText()).isEqualTo("invalid workspace auth token");
        Http.Response own = http.get("/workspaces/" + a + "/secrets/values", "Authorization", bearer(tokenA));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("MINE").asText()).isEqualTo("v");
    }

    /** Outside dev mode: WorkspaceAuth on workspace routes, AdminAuth on the global ones once tokens exist. */
    @Test
    void routesAreGuardedOutsideDevMode() {
        try (TestPlatform p = TestPlatform.start()) {
            Http h = p.http();
            String a = p.createWorkspace("{\"name\":\"a\"}");
            String tokenA = p.register(a);
            String body = "{\"key\":\"K\",\"value\":\"v\"}";
            record Call(String method, String path, String body) {
            }
            for (Call c : List.of(new Call("GET", "/workspaces/" + a + "/secrets", null),
                    new Call("GET", "/workspaces/" + a + "/secrets/values", null),
                    new Call("POST", "/workspaces/" + a + "/secrets", body),
                    new Call("PUT", "/workspaces/" + a + "/secrets", body),
                    new Call("DELETE", "/workspaces/" + a + "/secrets/K", null),
                    new Call("GET", "/workspaces/" + a + "/model", null),
                    new Call("PUT", "/workspaces/" + a + "/model", "{\"model\":\"m\"}"))) {
                Http.Response r = h.send(c.method(), c.path(), c.body());
                assertThat(r.status()).as("%s", c).isEqualTo(401);
                assertThat(r.json().get("error").asText()).isEqualTo("missing workspace auth token");
            }
            for (Call c : List.of(new Call("GET", "/settings/secrets", null), new Call("GET", "/admin/secrets", null),
                    new Call("POST", "/settings/secrets", body), new Call("PUT", "/settings/secrets", body),
                    new Call("POST", "/admin/secrets", body), new Call("DELETE", "/settings/secrets/K", null),
                    new Call("DELETE", "/admin/secrets/K", null))) {
                Http.Response r = h.send(c.method(), c.path(), c.body());
                assertThat(r.status()).as("%s", c).isEqualTo(401);
                assertThat(r.json().get("error").asText()).isEqualTo("admin auth required");
            }
            assertThat(h.post("/workspaces/" + a + "/secrets", body, "Authorization", bearer(tokenA)).status()).isEqualTo(200);
            assertThat(h.get("/workspaces/" + a + "/secrets/values", "Authorization", bearer(tokenA)).json().get("K").asText())
                    .isEqualTo("v");
            assertThat(h.post("/admin/secrets", body, "Authorization", bearer(tokenA)).status())
                    .as("any workspace token passes AdminAuth without ADMIN_TOKEN").isEqualTo(200);
        }
    }

    private Object[] row(String sql, Object param) throws Exception {
        try (Connection c = DriverManager.getConnection(platform.databaseUrl()); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, param);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return new Object[]{rs.getBytes(1), rs.getInt(2)};
            }
        }
    }

    private static JsonNode find(JsonNode list, String key) {
        for (JsonNode n : list) if (key.equals(n.path("key").asText())) return n;
        throw new AssertionError(key + " not in " + list);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', '_');
    }

    private static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }
}
