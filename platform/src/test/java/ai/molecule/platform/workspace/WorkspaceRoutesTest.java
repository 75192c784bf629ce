package ai.molecule.platform.workspace;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workspace CRUD and state over real HTTP (spec §1.2). Most tests share one platform with
 * ADMIN_TOKEN set, so minting workspace tokens never flips AdminAuth under another test;
 * tests that need an empty or fail-open database start their own.
 */
class WorkspaceRoutesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "admin-secret-for-tests";
    private static final String[] AS_ADMIN = {"Authorization", Http.bearer(ADMIN)};

    static TestPlatform platform;
    static Http http;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_ENABLE_TEST_TOKENS", "1");
        http = platform.http();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    // ---------------------------------------------------------------- create

    @Test
    void createReturnsExact201BodyAndAppliesDefaults() throws Exception {
        Http.Response r = http.post("/workspaces", "{\"name\":\"Defaults\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        String id = r.json().get("id").asText();
        assertThat(UUID.fromString(id).version()).isEqualTo(4);
        assertThat(r.json()).isEqualTo(json("{\"id\":\"" + id + "\",\"status\":\"provisioning\","
                + "\"awareness_namespace\":\"workspace:" + id + "\",\"workspace_access\":\"none\"}"));
        assertThat(r.body()).doesNotContain(" ");

        JsonNode ws = http.get("/workspaces/" + id).json();
        assertThat(ws.get("tier").asInt()).isEqualTo(3);
        assertThat(ws.get("runtime").asText()).isEqualTo("langgraph");
        assertThat(ws.get("status").asText()).isEqualTo("provisioning");
    }

    @Test
    void tierZeroBecomesThreeAndExplicitTierAndRuntimeAreKept() {
        String zero = platform.createWorkspace("{\"name\":\"Zero\",\"tier\":0}", AS_ADMIN);
        String two = platform.createWorkspace("{\"name\":\"Two\",\"tier\":2,\"runtime\":\"claude-code\"}", AS_ADMIN);
        assertThat(http.get("/workspaces/" + zero).json().get("tier").asInt()).isEqualTo(3);
        JsonNode t = http.get("/workspaces/" + two).json();
        assertThat(t.get("tier").asInt()).isEqualTo(2);
        assertThat(t.get("runtime").asText()).isEqualTo("claude-code");
    }

    @Test
    void createEchoesWorkspaceAccessWhenADirectoryIsGiven() {
        Http.Response r = http.post("/workspaces",
                "{\"name\":\"Mounted\",\"workspace_dir\":\"/home/me/project\",\"workspace_access\":\"read_only\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("workspace_access").asText()).isEqualTo("read_only");
    }

    static Stream<Arguments> badCreatePayloads() {
        return Stream.of(
                Arguments.of("missing name", "{}"),
                Arguments.of("empty name", "{\"name\":\"\"}"),
                Arguments.of("null name", "{\"name\":null}"),
                Arguments.of("malformed JSON", "{\"name\":"),
                Arguments.of("not JSON", "hello"),
                Arguments.of("array body", "[{\"name\":\"x\"}]"),
                Arguments.of("empty body", ""),
                Arguments.of("name is a number", "{\"name\":5}"),
                Arguments.of("tier is a string", "{\"name\":\"x\",\"tier\":\"x\"}"),
                Arguments.of("tier is fractional", "{\"name\":\"x\",\"tier\":1.5}"),
                Arguments.of("external is a string", "{\"name\":\"x\",\"external\":\"yes\"}"),
                Arguments.of("canvas is a string", "{\"name\":\"x\",\"canvas\":\"0,0\"}"),
                Arguments.of("secrets value not a string", "{\"name\":\"x\",\"secrets\":{\"K\":1}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreatePayloads")
    void createRejectsUnbindablePayloads(String label, String body) {
        Http.Response r = http.post("/workspaces", body, AS_ADMIN);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).isEqualTo(json("{\"error\":\"invalid workspace payload\"}"));
    }

    static Stream<Arguments> badCreateFields() {
        List<Arguments> cases = new ArrayList<>(List.of(
                Arguments.of("{\"name\":\"" + "n".repeat(256) + "\"}", "name must be at most 255 characters"),
                Arguments.of("{\"name\":\"two\\nlines\"}", "name must not contain newline characters"),
                Arguments.of("{\"name\":\"carriage\\rreturn\"}", "name must not contain newline characters"),
                Arguments.of("{\"name\":\"ok\",\"role\":\"" + "r".repeat(1001) + "\"}", "role must be at most 1000 characters"),
                Arguments.of("{\"name\":\"ok\",\"role\":\"a|b\"}", "role contains invalid characters"),
                Arguments.of("{\"name\":\"ok\",\"model\":\"" + "m".repeat(101) + "\"}", "model must be at most 100 characters"),
                Arguments.of("{\"name\":\"ok\",\"runtime\":\"x\\ny\"}", "runtime must not contain newline characters")));
        for (char c : "{}[]|>*&!".toCharArray()) {
            cases.add(Arguments.of("{\"name\":\"bad" + c + "name\"}", "name contains invalid characters"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badCreateFields")
    void createRejectsInvalidFieldsWithDetail(String body, String detail) {
        Http.Response r = http.post("/workspaces", body, AS_ADMIN);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).isEqualTo(json("{\"error\":\"invalid workspace fields\",\"detail\":\"" + detail + "\"}"));
    }

    @Test
    void nameOfExactly255CharactersIsAccepted() {
        Http.Response r = http.post("/workspaces", "{\"name\":\"" + "n".repeat(255) + "\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/dir", "./here", "/home/me/../../etc", "/etc", "/etc/molecule", "/usr/lib",
            "/var/lib/x", "/proc/self", "/"})
    void createRejectsUnsafeWorkspaceDirectory(String dir) {
        Http.Response r = http.post("/workspaces", "{\"name\":\"dir\",\"workspace_dir\":\"" + dir + "\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).isEqualTo(json("{\"error\":\"invalid workspace directory\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"a\",\"workspace_access\":\"read_only\"}",
            "{\"name\":\"a\",\"workspace_access\":\"read_write\"}",
            "{\"name\":\"a\",\"workspace_access\":\"everything\",\"workspace_dir\":\"/home/me/p\"}"})
    void createRejectsWorkspaceAccessWithoutDirectoryOrUnknown(String body) {
        Http.Response r = http.post("/workspaces", body, AS_ADMIN);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).isEqualTo(json("{\"error\":\"invalid workspace access\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", ".hidden", "/abs"})
    void createRejectsTemplateThatIsNotOneSafeSegment(String template) {
        Http.Response r = http.post("/workspaces", "{\"name\":\"t\",\"template\":\"" + template + "\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).isEqualTo(json("{\"error\":\"invalid template\"}"));
    }

    /** Upstream fails on the foreign key (500); we answer the caller's mistake with a 400. */
    @Test
    void createRefusesUnknownOrRemovedParent() {
        Http.Response unknown = http.post("/workspaces",
                "{\"name\":\"orphan\",\"parent_id\":\"" + UUID.randomUUID() + "\"}", AS_ADMIN);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json()).isEqualTo(json("{\"error\":\"invalid workspace fields\",\"detail\":\"parent workspace not found\"}"));

        String gone = platform.createWorkspace("{\"name\":\"gone\"}", AS_ADMIN);
        assertThat(http.delete("/workspaces/" + gone, AS_ADMIN).status()).isEqualTo(200);
        Http.Response removed = http.post("/workspaces", "{\"name\":\"orphan\",\"parent_id\":\"" + gone + "\"}", AS_ADMIN);
        assertThat(removed.status()).isEqualTo(400);
        assertThat(removed.json().get("detail").asText()).isEqualTo("parent workspace not found");

        Http.Response malformed = http.post("/workspaces", "{\"name\":\"orphan\",\"parent_id\":\"nope\"}", AS_ADMIN);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).isEqualTo("invalid workspace fields");
    }

    @Test
    void createWithKnownParentLinksTheChild() {
        String parent = platform.createWorkspace("{\"name\":\"Parent\"}", AS_ADMIN);
        String child = platform.createWorkspace("{\"name\":\"Child\",\"parent_id\":\"" + parent + "\"}", AS_ADMIN);
        assertThat(http.get("/workspaces/" + child).json().get("parent_id").asText()).isEqualTo(parent);
    }

    @Test
    void externalWithPublicUrlIsOnlineAtOnce() {
        Http.Response r = http.post("/workspaces",
                "{\"name\":\"Ext\",\"external\":true,\"url\":\"http://93.184.216.34:8000\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(201);
        String id = r.json().get("id").asText();
        assertThat(r.json()).isEqualTo(json("{\"id\":\"" + id + "\",\"external\":true,\"status\":\"online\"}"));
        JsonNode ws = http.get("/workspaces/" + id).json();
        assertThat(ws.get("status").asText()).isEqualTo("online");
        assertThat(ws.get("url").asText()).isEqualTo("http://93.184.216.34:8000");
    }

    @Test
    void externalWithPrivateUrlIsRefused() {
        Http.Response r = http.post("/workspaces",
                "{\"name\":\"Ext\",\"external\":true,\"url\":\"http://169.254.169.254/latest\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid workspace fields");
        assertThat(r.json().get("detail").asText()).startsWith("url rejected: ");
    }

    @Test
    void externalWithoutUrlAwaitsAgentAndItsTokenAuthenticatesThatWorkspaceOnly() {
        Http.Response r = http.post("/workspaces", "{\"name\":\"Remote\",\"external\":true}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(201);
        JsonNode body = r.json();
        String id = body.get("id").asText();
        assertThat(body.get("external").asBoolean()).isTrue();
        assertThat(body.get("status").asText()).isEqualTo("awaiting_agent");
        JsonNode c = body.get("connection");
        assertThat(c).isNotNull();
        assertThat(iterableFieldNames(c)).containsExactlyInAnyOrder("workspace_id", "platform_url", "auth_token",
                "registry_endpoint", "heartbeat_endpoint", "curl_register_template", "python_snippet");
        assertThat(c.get("workspace_id").asText()).isEqualTo(id);
        String platformUrl = c.get("platform_url").asText();
        assertThat(platformUrl).isEqualTo(http.base());
        assertThat(c.get("registry_endpoint").asText()).isEqualTo(platformUrl + "/registry/register");
        assertThat(c.get("heartbeat_endpoint").asText()).isEqualTo(platformUrl + "/registry/heartbeat");
        String token = c.get("auth_token").asText();
        assertThat(token).hasSize(43);
        assertThat(c.get("curl_register_template").asText()).contains(token, id);
        assertThat(c.get("python_snippet").asText()).contains(token, id);

        Http.Response own = http.get("/workspaces/" + id + "/state", "Authorization", Http.bearer(token));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("status").asText()).isEqualTo("awaiting_agent");

        String other = platform.createWorkspace("{\"name\":\"Other\"}", AS_ADMIN);
        Http.Response foreign = http.get("/workspaces/" + other + "/state", "Authorization", Http.bearer(token));
        assertThat(foreign.status()).isEqualTo(401);
        assertThat(foreign.json()).isEqualTo(json("{\"error\":\"invalid workspace auth token\"}"));
    }

    // ---------------------------------------------------------------- list and get

    @Test
    void listOnEmptyDatabaseIsEmptyArray() {
        try (TestPlatform fresh = TestPlatform.start()) {
            Http.Response r = fresh.http().get("/workspaces");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("[]");
        }
    }

    @Test
    void listElementHasExactGoShapeAndListIsOrderedWithoutRemoved() {
        try (TestPlatform fresh = TestPlatform.start()) {
            String first = fresh.createWorkspace("{\"name\":\"First\",\"canvas\":{\"x\":100,\"y\":1.5}}");
            String removed = fresh.createWorkspace("{\"name\":\"Removed\"}");
            String third = fresh.createWorkspace("{\"name\":\"Third\",\"role\":\"writer\",\"tier\":1,\"parent_id\":\"" + first
                    + "\",\"budget_limit\":500,\"workspace_dir\":\"/home/me/w\",\"max_concurrent_tasks\":4}");
            assertThat(fresh.http().delete("/workspaces/" + removed).status()).isEqualTo(200);

            Http.Response r = fresh.http().get("/workspaces");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("["
                    + "{\"id\":\"" + first + "\",\"name\":\"First\",\"role\":null,\"tier\":3,\"status\":\"provisioning\","
                    + "\"agent_card\":null,\"url\":\"\",\"parent_id\":null,\"active_tasks\":0,\"max_concurrent_tasks\":1,"
                    + "\"last_error_rate\":0,\"last_sample_error\":\"\",\"uptime_seconds\":0,\"current_task\":\"\","
                    + "\"runtime\":\"langgraph\",\"workspace_dir\":null,\"monthly_spend\":0,\"budget_limit\":null,"
                    + "\"x\":100,\"y\":1.5,\"collapsed\":false},"
                    + "{\"id\":\"" + third + "\",\"name\":\"Third\",\"role\":\"writer\",\"tier\":1,\"status\":\"provisioning\","
                    + "\"agent_card\":null,\"url\":\"\",\"parent_id\":\"" + first + "\",\"active_tasks\":0,\"max_concurrent_tasks\":4,"
                    + "\"last_error_rate\":0,\"last_sample_error\":\"\",\"uptime_seconds\":0,\"current_task\":\"\","
                    + "\"runtime\":\"langgraph\",\"workspace_dir\":\"/home/me/w\",\"monthly_spend\":0,\"budget_limit\":500,"
                    + "\"x\":0,\"y\":0,\"collapsed\":false}"
                    + "]");
        }
    }

    @Test
    void listKeepsCreationOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) ids.add(platform.createWorkspace("{\"name\":\"order-" + i + "\"}", AS_ADMIN));
        List<String> listed = new ArrayList<>();
        http.get("/workspaces", AS_ADMIN).json().forEach(w -> listed.add(w.get("id").asText()));
        assertThat(listed).containsSubsequence(ids);
    }

    @Test
    void getReturnsPublicShape() {
        String id = platform.createWorkspace("{\"name\":\"Public\",\"budget_limit\":100,\"workspace_dir\":\"/home/me/x\","
                + "\"canvas\":{\"x\":-20.25,\"y\":7}}", AS_ADMIN);
        Http.Response r = http.get("/workspaces/" + id);
        assertThat(r.status()).isEqualTo(200);
        JsonNode ws = r.json();
        assertThat(iterableFieldNames(ws)).containsExactly("id", "name", "role", "tier", "status", "agent_card", "url",
                "parent_id", "active_tasks", "max_concurrent_tasks", "last_error_rate", "uptime_seconds", "runtime",
                "x", "y", "collapsed", "last_outbound_at");
        assertThat(ws.get("last_outbound_at").isNull()).isTrue();
        assertThat(r.body()).contains("\"x\":-20.25", "\"y\":7,", "\"role\":null", "\"agent_card\":null", "\"last_error_rate\":0");
    }

    @Test
    void getRejectsMalformedIdAndUnknownId() {
        Http.Response bad = http.get("/workspaces/not-a-uuid");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).isEqualTo(json("{\"error\":\"invalid workspace ID\"}"));
        Http.Response unknown = http.get("/workspaces/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).isEqualTo(json("{\"error\":\"workspace not found\"}"));
    }

    // ---------------------------------------------------------------- patch

    @Test
    void patchPersistsEveryEditableField() {
        String parent = platform.createWorkspace("{\"name\":\"Boss\"}", AS_ADMIN);
        String id = platform.createWorkspace("{\"name\":\"Before\"}", AS_ADMIN);
        Http.Response r = http.patch("/workspaces/" + id, "{\"name\":\"After\",\"role\":\"reviewer\",\"tier\":2,"
                + "\"parent_id\":\"" + parent + "\",\"collapsed\":true,\"x\":100,\"y\":2.5,\"runtime\":\"crewai\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"updated\"}");

        Http.Response got = http.get("/workspaces/" + id);
        JsonNode ws = got.json();
        assertThat(ws.get("name").asText()).isEqualTo("After");
        assertThat(ws.get("role").asText()).isEqualTo("reviewer");
        assertThat(ws.get("tier").asInt()).isEqualTo(2);
        assertThat(ws.get("parent_id").asText()).isEqualTo(parent);
        assertThat(ws.get("collapsed").asBoolean()).isTrue();
        assertThat(ws.get("runtime").asText()).isEqualTo("crewai");
        assertThat(got.body()).contains("\"x\":100,", "\"y\":2.5,");

        Http.Response clear = http.patch("/workspaces/" + id, "{\"parent_id\":null}", AS_ADMIN);
        assertThat(clear.status()).isEqualTo(200);
        assertThat(http.get("/workspaces/" + id).json().get("parent_id").isNull()).isTrue();
        assertThat(http.get("/workspaces/" + id).json().get("name").asText()).isEqualTo("After");
    }

    @Test
    void patchIsAnnouncedOnTheSocketWithTheFieldsItSet() {
        String boss = platform.createWorkspace("{\"name\":\"Announcer boss\"}", AS_ADMIN);
        String id = platform.createWorkspace("{\"name\":\"Announced\"}", AS_ADMIN);
        try (WsClient ws = WsClient.connect(http.base())) {
            // the server registers the socket just after the handshake: wait until it is subscribed
            String probe = platform.createWorkspace("{\"name\":\"Patch probe\"}", AS_ADMIN);
            await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(probe).contains("WORKSPACE_PROVISIONING"));

            assertThat(http.patch("/workspaces/" + id, "{\"name\":\"Renamed\",\"role\":\"lead\"}", AS_ADMIN).status()).isEqualTo(200);
            assertThat(http.patch("/workspaces/" + id, "{\"parent_id\":\"" + boss + "\",\"x\":40,\"y\":7.5}", AS_ADMIN).status())
                    .isEqualTo(200);
            assertThat(http.patch("/workspaces/" + id, "{\"parent_id\":null}", AS_ADMIN).status()).isEqualTo(200);
            assertThat(http.patch("/workspaces/" + id, "{\"x\":99}", AS_ADMIN).status()).isEqualTo(200); // ignored: no event

            await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(id).size() >= 3);
            assertThat(ws.events(id)).containsExactly("WORKSPACE_UPDATED", "WORKSPACE_MOVED", "WORKSPACE_MOVED");
            List<JsonNode> payloads = ws.frames().stream()
                    .filter(f -> f.path("workspace_id").asText().equals(id)).map(f -> f.get("payload")).toList();
            assertThat(payloads.get(0)).isEqualTo(json("{\"name\":\"Renamed\",\"role\":\"lead\"}"));
            assertThat(payloads.get(1)).isEqualTo(json("{\"parent_id\":\"" + boss + "\",\"x\":40,\"y\":7.5}"));
            assertThat(payloads.get(2)).isEqualTo(json("{\"parent_id\":null}"));
        }
        // recorded like the other lifecycle events
        JsonNode recorded = http.get("/events/" + id, AS_ADMIN).json();
        assertThat(recorded.findValuesAsText("event_type")).contains("WORKSPACE_UPDATED", "WORKSPACE_MOVED");
    }

    @Test
    void patchMovesNodeOnlyWhenBothCoordinatesAreSent() {
        String id = platform.createWorkspace("{\"name\":\"Node\",\"canvas\":{\"x\":10,\"y\":20}}", AS_ADMIN);
        assertThat(http.patch("/workspaces/" + id, "{\"x\":99}", AS_ADMIN).status()).isEqualTo(200);
        assertThat(http.get("/workspaces/" + id).body()).contains("\"x\":10,", "\"y\":20,");
    }

    @Test
    void patchWorkspaceDirAsksForRestartAndNullClearsIt() {
        String id = platform.createWorkspace("{\"name\":\"Dir\"}", AS_ADMIN);
        Http.Response r = http.patch("/workspaces/" + id, "{\"workspace_dir\":\"/home/me/repo\"}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(json("{\"status\":\"updated\",\"needs_restart\":true}"));
        assertThat(dirOf(id)).isEqualTo("/home/me/repo");

        Http.Response cleared = http.patch("/workspaces/" + id, "{\"workspace_dir\":null}", AS_ADMIN);
        assertThat(cleared.json()).isEqualTo(json("{\"status\":\"updated\",\"needs_restart\":true}"));
        assertThat(dirOf(id)).isNull();

        Http.Response bad = http.patch("/workspaces/" + id, "{\"workspace_dir\":\"/etc/passwd\"}", AS_ADMIN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).isEqualTo(json("{\"error\":\"invalid workspace directory\"}"));
    }

    private static String dirOf(String id) {
        for (JsonNode w : http.get("/workspaces", AS_ADMIN).json()) {
            if (w.get("id").asText().equals(id)) return w.get("workspace_dir").isNull() ? null : w.get("workspace_dir").asText();
        }
        throw new AssertionError("workspace " + id + " not listed");
    }

    /** Upstream has no cycle check; we refuse one (it would hide a subtree from every walk). */
    @Test
    void patchRefusesParentCycleAndSelfParent() {
        String a = platform.createWorkspace("{\"name\":\"A\"}", AS_ADMIN);
        String b = platform.createWorkspace("{\"name\":\"B\",\"parent_id\":\"" + a + "\"}", AS_ADMIN);
        String c = platform.createWorkspace("{\"name\":\"C\",\"parent_id\":\"" + b + "\"}", AS_ADMIN);

        Http.Response cycle = http.patch("/workspaces/" + a, "{\"parent_id\":\"" + c + "\"}", AS_ADMIN);
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.json().get("error").asText()).startsWith("parent_id would create a cycle");

        Http.Response self = http.patch("/workspaces/" + a, "{\"parent_id\":\"" + a + "\"}", AS_ADMIN);
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.json()).isEqualTo(json("{\"error\":\"a workspace cannot be its own parent\"}"));

        Http.Response unknown = http.patch("/workspaces/" + a, "{\"parent_id\":\"" + UUID.randomUUID() + "\"}", AS_ADMIN);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json()).isEqualTo(json("{\"error\":\"parent workspace not found\"}"));

        assertThat(http.get("/workspaces/" + a).json().get("parent_id").isNull()).isTrue();
    }

    static Stream<Arguments> badPatches() {
        return Stream.of(
                Arguments.of("{\"name\":", "invalid request body"),
                Arguments.of("not json", "invalid request body"),
                Arguments.of("[1]", "invalid request body"),
                Arguments.of("{\"name\":5}", "invalid request body"),
                Arguments.of("{\"tier\":\"high\"}", "invalid request body"),
                Arguments.of("{\"collapsed\":\"yes\"}", "invalid request body"),
                Arguments.of("{\"parent_id\":\"not-a-uuid\"}", "invalid request body"),
                Arguments.of("{\"name\":\"" + "n".repeat(256) + "\"}", "name must be at most 255 characters"),
                Arguments.of("{\"name\":\"a|b\"}", "name contains invalid characters"),
                Arguments.of("{\"name\":\"a{b}\"}", "name contains invalid characters"),
                Arguments.of("{\"name\":\"a\\nb\"}", "name must not contain newline characters"),
                Arguments.of("{\"role\":\"a\\rb\"}", "role must not contain newline characters"),
                Arguments.of("{\"role\":\"x&y\"}", "role contains invalid characters"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badPatches")
    void patchRejectsBadBodiesWithExactText(String body, String error) {
        String id = platform.createWorkspace("{\"name\":\"Patchable\"}", AS_ADMIN);
        Http.Response r = http.patch("/workspaces/" + id, body, AS_ADMIN);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo(error);
        assertThat(http.get("/workspaces/" + id).json().get("name").asText()).isEqualTo("Patchable");
    }

    @Test
    void patchUnknownOrMalformedId() {
        Http.Response unknown = http.patch("/workspaces/" + UUID.randomUUID(), "{\"name\":\"x\"}", AS_ADMIN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).isEqualTo(json("{\"error\":\"workspace not found\"}"));
        Http.Response bad = http.patch("/workspaces/nope", "{\"name\":\"x\"}", AS_ADMIN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).isEqualTo(json("{\"error\":\"invalid workspace ID\"}"));
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteParentWithoutConfirmIs409WithChildren() {
        String root = platform.createWorkspace("{\"name\":\"Root\"}", AS_ADMIN);
        String c1 = platform.createWorkspace("{\"name\":\"Kid one\",\"parent_id\":\"" + root + "\"}", AS_ADMIN);
        String c2 = platform.createWorkspace("{\"name\":\"Kid two\",\"parent_id\":\"" + root + "\"}", AS_ADMIN);
        platform.createWorkspace("{\"name\":\"Grandkid\",\"parent_id\":\"" + c1 + "\"}", AS_ADMIN);

        Http.Response r = http.delete("/workspaces/" + root, AS_ADMIN);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json()).isEqualTo(json("{\"status\":\"confirmation_required\","
                + "\"message\":\"This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete.\","
                + "\"children\":[{\"id\":\"" + c1 + "\",\"name\":\"Kid one\"},{\"id\":\"" + c2 + "\",\"name\":\"Kid two\"}],"
                + "\"children_count\":2}"));
        assertThat(http.get("/workspaces/" + root).json().get("status").asText()).isEqualTo("provisioning");
    }

    @Test
    void confirmedDeleteCascadesRevokesTokensAndEmitsRemovedForEach() {
        String root = platform.createWorkspace("{\"name\":\"Org\"}", AS_ADMIN);
        String child = platform.createWorkspace("{\"name\":\"Team\",\"parent_id\":\"" + root + "\"}", AS_ADMIN);
        String grandchild = platform.createWorkspace("{\"name\":\"Member\",\"parent_id\":\"" + child + "\"}", AS_ADMIN);
        String sibling = platform.createWorkspace("{\"name\":\"Team two\",\"parent_id\":\"" + root + "\"}", AS_ADMIN);
        String bystander = platform.createWorkspace("{\"name\":\"Bystander\"}", AS_ADMIN);
        List<String> subtree = List.of(root, child, grandchild, sibling);
        String grandchildToken = testToken(grandchild);
        String bystanderToken = testToken(bystander);
        assertThat(http.get("/workspaces/" + grandchild + "/secrets", "Authorization", Http.bearer(grandchildToken)).status())
                .isEqualTo(200);

        try (WsClient ws = WsClient.connect(http.base())) {
            // the server registers the socket just after the handshake: wait until it is subscribed
            String probe = platform.createWorkspace("{\"name\":\"Probe\"}", AS_ADMIN);
            await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(probe).contains("WORKSPACE_PROVISIONING"));

            Http.Response r = http.delete("/workspaces/" + root + "?confirm=true", AS_ADMIN);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json()).isEqualTo(json("{\"status\":\"removed\",\"cascade_deleted\":3}"));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (String id : subtree) assertThat(ws.events(id)).containsExactly("WORKSPACE_REMOVED");
            });
            assertThat(ws.events(bystander)).doesNotContain("WORKSPACE_REMOVED");
            JsonNode rootEvent = ws.frames().stream()
                    .filter(f -> f.path("workspace_id").asText().equals(root)).findFirst().orElseThrow();
            assertThat(rootEvent.get("payload")).isEqualTo(json("{\"cascade_deleted\":3}"));
            JsonNode childEvent = ws.frames().stream()
                    .filter(f -> f.path("workspace_id").asText().equals(grandchild)).findFirst().orElseThrow();
            assertThat(childEvent.get("payload")).isEqualTo(json("{}"));
        }

        List<String> listed = new ArrayList<>();
        http.get("/workspaces", AS_ADMIN).json().forEach(w -> listed.add(w.get("id").asText()));
        assertThat(listed).doesNotContainAnyElementsOf(subtree).contains(bystander);
        for (String id : subtree) {
            Http.Response got = http.get("/workspaces/" + id);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.json().get("status").asText()).isEqualTo("removed");
        }

        Http.Response dead = http.get("/workspaces/" + grandchild + "/secrets", "Authorization", Http.bearer(grandchildToken));
        assertThat(dead.status()).isEqualTo(401);
        assertThat(dead.json()).isEqualTo(json("{\"error\":\"invalid workspace auth token\"}"));
        assertThat(http.get("/workspaces/" + bystander + "/secrets", "Authorization", Http.bearer(bystanderToken)).status())
                .isEqualTo(200);
    }

    @Test
    void deleteOfLeafAndRepeatedDelete() {
        String leaf = platform.createWorkspace("{\"name\":\"Leaf\"}", AS_ADMIN);
        assertThat(http.delete("/workspaces/" + leaf, AS_ADMIN).json())
                .isEqualTo(json("{\"status\":\"removed\",\"cascade_deleted\":0}"));
        Http.Response again = http.delete("/workspaces/" + leaf, AS_ADMIN);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(json("{\"status\":\"removed\",\"cascade_deleted\":0}"));
    }

    @Test
    void purgeDeletesTheRows() {
        String root = platform.createWorkspace("{\"name\":\"Purge me\"}", AS_ADMIN);
        String child = platform.createWorkspace("{\"name\":\"Purge kid\",\"parent_id\":\"" + root + "\"}", AS_ADMIN);
        Http.Response r = http.delete("/workspaces/" + root + "?confirm=true&purge=true", AS_ADMIN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(json("{\"status\":\"purged\",\"cascade_deleted\":1}"));
        assertThat(http.get("/workspaces/" + root).status()).isEqualTo(404);
        assertThat(http.get("/workspaces/" + child).status()).isEqualTo(404);
    }

    @Test
    void deleteUnknownUuidIsRemovedZeroAndMalformedIdIs400() {
        Http.Response r = http.delete("/workspaces/" + UUID.randomUUID(), AS_ADMIN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(json("{\"status\":\"removed\",\"cascade_deleted\":0}"));
        Http.Response bad = http.delete("/workspaces/xyz", AS_ADMIN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).isEqualTo(json("{\"error\":\"invalid workspace ID\"}"));
    }

    // ---------------------------------------------------------------- state

    @Test
    void stateOfLiveUnknownAndRemovedWorkspaces() {
        String id = platform.createWorkspace("{\"name\":\"Stateful\"}", AS_ADMIN);
        Http.Response live = http.get("/workspaces/" + id + "/state", AS_ADMIN);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json()).isEqualTo(json(
                "{\"workspace_id\":\"" + id + "\",\"status\":\"provisioning\",\"paused\":false,\"deleted\":false}"));

        String unknown = UUID.randomUUID().toString();
        Http.Response missing = http.get("/workspaces/" + unknown + "/state", AS_ADMIN);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json()).isEqualTo(json("{\"workspace_id\":\"" + unknown + "\",\"deleted\":true}"));

        assertThat(http.delete("/workspaces/" + id, AS_ADMIN).status()).isEqualTo(200);
        Http.Response removed = http.get("/workspaces/" + id + "/state", AS_ADMIN);
        assertThat(removed.status()).isEqualTo(404);
        assertThat(removed.json()).isEqualTo(json(
                "{\"workspace_id\":\"" + id + "\",\"status\":\"removed\",\"deleted\":true}"));

        Http.Response bad = http.get("/workspaces/bad-id/state", AS_ADMIN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).isEqualTo(json("{\"error\":\"invalid workspace ID\"}"));
    }

    // ---------------------------------------------------------------- framework edges

    @Test
    void oversizeBodyIs413Json() {
        String huge = "{\"name\":\"big\",\"role\":\"" + "r".repeat(1024 * 1024 + 10) + "\"}";
        Http.Response r = http.post("/workspaces", huge, AS_ADMIN);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json()).isEqualTo(json("{\"error\":\"request body too large\"}"));
    }

    static Stream<Arguments> unroutable() {
        return Stream.of(
                Arguments.of("GET", "/no-such-route"),
                Arguments.of("POST", "/workspaces/" + UUID.randomUUID() + "/no-such-thing"),
                Arguments.of("PUT", "/workspaces"),
                Arguments.of("DELETE", "/workspaces"),
                Arguments.of("POST", "/health"),
                Arguments.of("PUT", "/workspaces/" + UUID.randomUUID()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unroutable")
    void unknownRouteAndWrongMethodArePlain404(String method, String path) {
        Http.Response r = http.send(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}", AS_ADMIN);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("404 page not found");
        assertThat(r.header("Content-Type")).startsWith("text/plain");
    }

    // ---------------------------------------------------------------- helpers

    private static String testToken(String id) {
        Http.Response r = http.get("/admin/workspaces/" + id + "/test-token", AS_ADMIN);
        assertThat(r.status()).as("test-token %s", r).isEqualTo(200);
        return r.json().get("auth_token").asText();
    }

    private static List<String> iterableFieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
