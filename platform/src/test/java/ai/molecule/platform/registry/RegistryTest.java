package ai.molecule.platform.registry;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Register, heartbeat (the heartbeat half of the status machine), update-card, discover and
 * peers (spec §1.3, §2.6, §5, §6), over real HTTP with the events watched on a real /ws.
 * ADMIN_TOKEN is set so the admin routes used for set-up do not depend on fail-open.
 */
class RegistryTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "registry-test-admin";
    private static final String AGENT_URL = "http://93.184.216.34:8000";
    private static final Duration WAIT = Duration.ofSeconds(5);

    static TestPlatform platform;
    static Http http;
    static WsClient ws;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN);
        http = platform.http();
        ws = WsClient.connect(http.base());
        // the socket is attached once it sees an event
        String probe = create("{\"name\":\"probe\"}");
        await().atMost(WAIT).until(() -> ws.events(probe).contains("WORKSPACE_PROVISIONING"));
    }

    @AfterAll
    static void stop() {
        ws.close();
        platform.close();
    }

    // ---- helpers -------------------------------------------------------------------------

    private static String[] admin() {
        return new String[]{"Authorization", bearer(ADMIN)};
    }

    private static String create(String json) {
        return platform.createWorkspace(json, admin());
    }

    private static String registerBody(String id, String url) {
        return "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"agent_card\":{\"name\":\"agent-" + id.substring(0, 4) + "\"}}";
    }

    /** A created workspace registered for the first time: returns its minted token. */
    private static String registered(String id) {
        String token = platform.register(id);
        assertThat(token).isNotNull();
        return token;
    }

    private static Http.Response heartbeat(String id, String token, String extra) {
        String body = "{\"workspace_id\":\"" + id + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
        return token == null ? http.post("/registry/heartbeat", body)
                : http.post("/registry/heartbeat", body, "Authorization", bearer(token));
    }

    private static void okHeartbeat(String id, String token, String extra) {
        Http.Response r = heartbeat(id, token, extra);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    private static List<JsonNode> frames(String id, String event) {
        return ws.frames().stream()
                .filter(f -> id.equals(f.path("workspace_id").asText()) && event.equals(f.path("event").asText()))
                .toList();
    }

    private static long count(String id, String event) {
        return frames(id, event).size();
    }

    /** Waits until the n-th {@code event} about {@code id} arrives and returns its payload. */
    private static JsonNode awaitNth(String id, String event, int n) {
        await().atMost(WAIT).until(() -> count(id, event) >= n);
        return frames(id, event).get(n - 1).get("payload");
    }

    /** Heartbeats are emitted after any transition of the same heartbeat, so the n-th one is a barrier. */
    private static void awaitHeartbeats(String id, int n) {
        awaitNth(id, "WORKSPACE_HEARTBEAT", n);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String status(String id) {
        return http.get("/workspaces/" + id).json().get("status").asText();
    }

    private static JsonNode listed(String id) {
        JsonNode list = http.get("/workspaces", admin()).json();
        return StreamSupport.stream(list.spliterator(), false)
                .filter(w -> id.equals(w.get("id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in GET /workspaces"));
    }

    private static void sql(String statement, String id) {
        platform.platform().database().jdbi().useHandle(h -> h.createUpdate(statement).bind("id", UUID.fromString(id)).execute());
    }

    // ---- register ------------------------------------------------------------------------

    @Test
    void firstRegistrationMintsATokenAndLaterOnesMustPresentIt() {
        String id = create("{\"name\":\"Reg\"}");
        Http.Response first = http.post("/registry/register", registerBody(id, AGENT_URL));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("status").asText()).isEqualTo("registered");
        String token = first.json().get("auth_token").asText();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(first.json().size()).isEqualTo(2);

        JsonNode online = awaitNth(id, "WORKSPACE_ONLINE", 1);
        assertThat(online).isEqualTo(json("{\"url\":\"" + AGENT_URL + "\",\"agent_card\":{\"name\":\"agent-" + id.substring(0, 4) + "\"}}"));
        JsonNode row = http.get("/workspaces/" + id).json();
        assertThat(row.get("status").asText()).isEqualTo("online");
        assertThat(row.get("name").asText()).as("an existing row keeps its name").isEqualTo("Reg");
        assertThat(row.get("url").asText()).isEqualTo(AGENT_URL);

        Http.Response noBearer = http.post("/registry/register", registerBody(id, AGENT_URL));
        assertThat(noBearer.status()).isEqualTo(401);
        assertThat(noBearer.body()).isEqualTo("{\"error\":\"missing workspace auth token\"}");

        Http.Response wrong = http.post("/registry/register", registerBody(id, AGENT_URL), "Authorization", bearer("not-the-token"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo("{\"error\":\"invalid workspace auth token\"}");

        Http.Response admin = http.post("/registry/register", registerBody(id, AGENT_URL), admin());
        assertThat(admin.status()).as("the admin token is not this workspace's token").isEqualTo(401);
        assertThat(admin.body()).isEqualTo("{\"error\":\"invalid workspace auth token\"}");

        String otherToken = registered(create("{\"name\":\"Other\"}"));
        Http.Response others = http.post("/registry/register", registerBody(id, AGENT_URL), "Authorization", bearer(otherToken));
        assertThat(others.status()).as("another workspace's token").isEqualTo(401);
        assertThat(others.body()).isEqualTo("{\"error\":\"invalid workspace auth token\"}");

        Http.Response again = http.post("/registry/register", registerBody(id, "http://93.184.216.35:9000"), "Authorization", bearer(token));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"status\":\"registered\"}");
        assertThat(http.get("/workspaces/" + id).json().get("url").asText()).isEqualTo("http://93.184.216.35:9000");
        assertThat(awaitNth(id, "WORKSPACE_ONLINE", 2).get("url").asText()).isEqualTo("http://93.184.216.35:9000");
    }

    /** Registration never creates a workspace: an unknown id is 404 and nothing appears. */
    @Test
    void unknownIdIs404AndCreatesNothing() {
        String id = UUID.randomUUID().toString();
        Http.Response r = http.post("/registry/register", registerBody(id, AGENT_URL));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"workspace not found\"}");
        assertThat(http.get("/workspaces/" + id, admin()).status()).isEqualTo(404);
    }

    /** Bootstrap without a bearer only while the workspace has never had a token (spec §2.6). */
    @Test
    void bootstrapOnlyWhileTheWorkspaceHasNeverHadAToken() {
        String id = create("{\"name\":\"Boot\"}");
        String token = registered(id);
        Http.Response again = http.post("/registry/register", registerBody(id, AGENT_URL));
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.json().get("error").asText()).isEqualTo("missing workspace auth token");
        String tokenId = http.get("/workspaces/" + id + "/tokens", admin()).json().at("/tokens/0/id").asText();
        assertThat(http.delete("/workspaces/" + id + "/tokens/" + tokenId, admin()).status()).isEqualTo(200);
        Http.Response afterRevoke = http.post("/registry/register", registerBody(id, "http://93.184.216.99:1"));
        assertThat(afterRevoke.status()).as("a revoked token does not reopen the bootstrap").isEqualTo(401);
        assertThat(http.get("/workspaces/" + id, admin()).json().get("url").asText()).isEqualTo(AGENT_URL);
        assertThat(token).isNotEmpty();
    }

    @Test
    void runtimeExternalIsAnExternalWorkspaceAwaitingItsAgent() {
        Http.Response created = http.post("/workspaces", "{\"name\":\"Ext\",\"runtime\":\"external\"}", admin());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("external").asBoolean()).isTrue();
        assertThat(created.json().get("status").asText()).isEqualTo("awaiting_agent");
        String id = created.json().get("id").asText();
        String token = created.json().at("/connection/auth_token").asText();
        assertThat(token).isNotEmpty();
        assertThat(http.get("/workspaces/" + id, admin()).json().get("status").asText()).isEqualTo("awaiting_agent");

        assertThat(http.post("/registry/register", registerBody(id, AGENT_URL)).status()).as("the token is required").isEqualTo(401);
        Http.Response r = http.post("/registry/register", registerBody(id, AGENT_URL), "Authorization", bearer(token));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().has("auth_token")).isFalse();
        assertThat(http.get("/workspaces/" + id, admin()).json().get("status").asText()).isEqualTo("online");
    }

    /** Spec §2.8: the literal hostname localhost is a valid registration URL in every mode. */
    @Test
    void localhostIsAcceptedAtRegistration() {
        String id = create("{\"name\":\"Local\"}");
        Http.Response r = http.post("/registry/register", registerBody(id, "http://localhost:8000"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(http.get("/workspaces/" + id, admin()).json().get("url").asText()).isEqualTo("http://localhost:8000");
        Http.Response loopbackIp = http.post("/registry/register", registerBody(create("{\"name\":\"Lo\"}"), "http://127.0.0.1:8000"));
        assertThat(loopbackIp.status()).as("the loopback address itself stays refused").isEqualTo(400);
    }

    /** An agent without inbound HTTP (poll mode) registers a remote: placeholder and is online. */
    @Test
    void pollModeAgentRegistersARemotePlaceholder() {
        String id = create("{\"name\":\"Poller\"}");
        Http.Response r = http.post("/registry/register", registerBody(id, "remote://no-inbound"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode row = http.get("/workspaces/" + id, admin()).json();
        assertThat(row.get("url").asText()).isEqualTo("remote://no-inbound");
        assertThat(row.get("status").asText()).isEqualTo("online");
        Http.Response ftp = http.post("/registry/register", registerBody(create("{\"name\":\"F\"}"), "ftp://example.com"));
        assertThat(ftp.status()).isEqualTo(400);
    }

    /** Deliberate: upstream answers 200 without resurrecting; we say why with 410. */
    @Test
    void aRemovedWorkspaceIsNeverResurrected() {
        String id = create("{\"name\":\"Gone\"}");
        assertThat(http.delete("/workspaces/" + id, admin()).status()).isEqualTo(200);
        Http.Response r = http.post("/registry/register", registerBody(id, AGENT_URL));
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.body()).isEqualTo("{\"error\":\"workspace has been removed\"}");
        assertThat(http.get("/workspaces/" + id).json().get("status").asText()).isEqualTo("removed");

        assertThat(heartbeat(id, null, "\"error_rate\":0").status()).isEqualTo(200);
        assertThat(http.get("/workspaces/" + id).json().get("status").asText()).as("heartbeat does not revive it").isEqualTo("removed");
    }

    @Test
    void ssrfUrlIsRejectedByDefault() {
        String id = UUID.randomUUID().toString();
        Http.Response r = http.post("/registry/register", registerBody(id, "http://127.0.0.1:9"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText())
                .isEqualTo("invalid agent url: loopback or private address (allowed only in development)");
        Http.Response metadata = http.post("/registry/register", registerBody(id, "http://169.254.169.254/latest"));
        assertThat(metadata.status()).isEqualTo(400);
        assertThat(metadata.json().get("error").asText()).startsWith("invalid agent url:");
        assertThat(http.get("/workspaces/" + id).status()).as("nothing was created").isEqualTo(404);
    }

    @Test
    void developmentAcceptsALoopbackUrl() {
        try (TestPlatform dev = TestPlatform.start("MOLECULE_ENV", "development")) {
            String id = dev.createWorkspace("{\"name\":\"dev\"}");
            Http.Response r = dev.http().post("/registry/register", registerBody(id, "http://127.0.0.1:9"));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().has("auth_token")).isTrue();
            assertThat(dev.http().get("/workspaces/" + id).json().get("url").asText()).isEqualTo("http://127.0.0.1:9");
            Http.Response metadata = dev.http().post("/registry/register", registerBody(UUID.randomUUID().toString(), "http://169.254.169.254"));
            assertThat(metadata.status()).as("metadata stays blocked in development").isEqualTo(400);
        }
    }

    @ParameterizedTest(name = "bad register body: {0}")
    @ValueSource(strings = {
            "", "nope", "[]",
            "{\"url\":\"http://93.184.216.34\",\"agent_card\":{}}",
            "{\"id\":\"7f1e2d3c-0000-4000-8000-000000000001\",\"agent_card\":{}}",
            "{\"id\":\"7f1e2d3c-0000-4000-8000-000000000001\",\"url\":\"http://93.184.216.34\"}",
            "{\"id\":\"7f1e2d3c-0000-4000-8000-000000000001\",\"url\":\"http://93.184.216.34\",\"agent_card\":null}",
            "{\"id\":\"7f1e2d3c-0000-4000-8000-000000000001\",\"url\":\"\",\"agent_card\":{}}",
            "{\"id\":\"not-a-uuid\",\"url\":\"http://93.184.216.34\",\"agent_card\":{}}",
            "{\"id\":42,\"url\":\"http://93.184.216.34\",\"agent_card\":{}}"})
    void registerRejectsABadBody(String body) {
        Http.Response r = http.post("/registry/register", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"invalid request body\"}");
    }

    // ---- heartbeat and the status machine ------------------------------------------------

    @Test
    void heartbeatBringsAProvisioningWorkspaceOnline() {
        String id = create("{\"name\":\"Booting\"}");
        assertThat(status(id)).isEqualTo("provisioning");
        okHeartbeat(id, null, "\"active_tasks\":0,\"uptime_seconds\":5");
        assertThat(awaitNth(id, "WORKSPACE_ONLINE", 1)).isEqualTo(json("{\"recovered_from\":\"provisioning\"}"));
        assertThat(status(id)).isEqualTo("online");
        assertThat(awaitNth(id, "WORKSPACE_HEARTBEAT", 1)).isEqualTo(json("{\"active_tasks\":0,\"uptime_seconds\":5}"));
    }

    @Test
    void heartbeatBringsAnOfflineWorkspaceBackWithAnEmptyPayload() {
        String id = create("{\"name\":\"Napping\"}");
        String token = registered(id);
        sql("UPDATE workspaces SET status = 'offline' WHERE id = :id", id);
        okHeartbeat(id, token, "");
        assertThat(awaitNth(id, "WORKSPACE_ONLINE", 2)).isEqualTo(json("{}"));
        assertThat(status(id)).isEqualTo("online");
    }

    @Test
    void errorRateDegradesAtHalfAndRecoversBelowATenth() {
        String id = create("{\"name\":\"Flaky\"}");
        String token = registered(id);

        okHeartbeat(id, token, "\"error_rate\":0.49,\"sample_error\":\"meh\"");
        awaitHeartbeats(id, 1);
        assertThat(status(id)).as("just below the threshold").isEqualTo("online");

        okHeartbeat(id, token, "\"error_rate\":0.5,\"sample_error\":\"boom\"");
        assertThat(awaitNth(id, "WORKSPACE_DEGRADED", 1)).isEqualTo(json("{\"error_rate\":0.5,\"sample_error\":\"boom\"}"));
        assertThat(status(id)).isEqualTo("degraded");

        okHeartbeat(id, token, "\"error_rate\":0.75,\"sample_error\":\"worse\"");
        okHeartbeat(id, token, "\"error_rate\":0.1");
        awaitHeartbeats(id, 4);
        assertThat(status(id)).as("0.1 is not below 0.1: hysteresis").isEqualTo("degraded");
        assertThat(count(id, "WORKSPACE_DEGRADED")).as("degraded only once").isEqualTo(1);

        okHeartbeat(id, token, "\"error_rate\":0.05");
        assertThat(awaitNth(id, "WORKSPACE_ONLINE", 2)).isEqualTo(json("{}"));
        assertThat(status(id)).isEqualTo("online");
    }

    @Test
    void wedgedRuntimeDegradesUntilItClearsItsState() {
        String id = create("{\"name\":\"Stuck\"}");
        String token = registered(id);
        okHeartbeat(id, token, "\"error_rate\":0,\"runtime_state\":\"wedged\",\"sample_error\":\"sdk hung\"");
        assertThat(awaitNth(id, "WORKSPACE_DEGRADED", 1))
                .isEqualTo(json("{\"runtime_state\":\"wedged\",\"sample_error\":\"sdk hung\"}"));
        assertThat(status(id)).isEqualTo("degraded");

        okHeartbeat(id, token, "\"error_rate\":0,\"runtime_state\":\"wedged\"");
        awaitHeartbeats(id, 2);
        assertThat(status(id)).as("still wedged: no recovery").isEqualTo("degraded");

        okHeartbeat(id, token, "\"error_rate\":0,\"runtime_state\":\"\"");
        awaitNth(id, "WORKSPACE_ONLINE", 2);
        assertThat(status(id)).isEqualTo("online");
        assertThat(count(id, "WORKSPACE_DEGRADED")).isEqualTo(1);
    }

    @Test
    void statusMgmtCapabilitySkipsErrorRateTransitions() {
        String id = create("{\"name\":\"SelfManaged\"}");
        String token = registered(id);
        String meta = "\"runtime_metadata\":{\"capabilities\":{\"status_mgmt\":true}}";
        okHeartbeat(id, token, "\"error_rate\":0.9,\"sample_error\":\"busy\"," + meta);
        okHeartbeat(id, token, "\"error_rate\":1," + meta);
        awaitHeartbeats(id, 2);
        assertThat(status(id)).isEqualTo("online");
        assertThat(count(id, "WORKSPACE_DEGRADED")).isZero();

        // the same rate without the capability does degrade (the test above is not vacuous)
        okHeartbeat(id, token, "\"error_rate\":0.9,\"runtime_metadata\":{\"capabilities\":{\"status_mgmt\":false}}");
        awaitNth(id, "WORKSPACE_DEGRADED", 1);
        assertThat(status(id)).isEqualTo("degraded");
    }

    @Test
    void taskUpdatedOnlyWhenTheCurrentTaskChanges() {
        String id = create("{\"name\":\"Worker\"}");
        String token = registered(id);

        okHeartbeat(id, token, "\"current_task\":\"t1\",\"active_tasks\":1,\"uptime_seconds\":10");
        assertThat(awaitNth(id, "TASK_UPDATED", 1)).isEqualTo(json("{\"current_task\":\"t1\",\"active_tasks\":1}"));
        assertThat(awaitNth(id, "WORKSPACE_HEARTBEAT", 1)).isEqualTo(json("{\"active_tasks\":1,\"uptime_seconds\":10}"));

        okHeartbeat(id, token, "\"current_task\":\"t1\",\"active_tasks\":1,\"uptime_seconds\":40");
        assertThat(awaitNth(id, "WORKSPACE_HEARTBEAT", 2)).isEqualTo(json("{\"active_tasks\":1,\"uptime_seconds\":40}"));
        assertThat(count(id, "TASK_UPDATED")).as("same task: no TASK_UPDATED").isEqualTo(1);

        okHeartbeat(id, token, "\"current_task\":\"t2\",\"active_tasks\":2,\"uptime_seconds\":70");
        assertThat(awaitNth(id, "TASK_UPDATED", 2)).isEqualTo(json("{\"current_task\":\"t2\",\"active_tasks\":2}"));

        okHeartbeat(id, token, "\"active_tasks\":0,\"uptime_seconds\":100");
        assertThat(awaitNth(id, "TASK_UPDATED", 3)).as("cleared task").isEqualTo(json("{\"current_task\":\"\",\"active_tasks\":0}"));

        okHeartbeat(id, token, "\"current_task\":\"\",\"active_tasks\":0,\"uptime_seconds\":130");
        awaitHeartbeats(id, 5);
        assertThat(count(id, "TASK_UPDATED")).as("still no task: no TASK_UPDATED").isEqualTo(3);
        assertThat(count(id, "WORKSPACE_HEARTBEAT")).isEqualTo(5);
    }

    @Test
    void heartbeatFieldsAreVisibleInTheList() {
        String id = create("{\"name\":\"Visible\"}");
        String token = registered(id);
        okHeartbeat(id, token, "\"error_rate\":0.25,\"sample_error\":\"timeout\",\"active_tasks\":3,"
                + "\"uptime_seconds\":42,\"current_task\":\"doing x\",\"monthly_spend\":1234");
        JsonNode w = listed(id);
        assertThat(w.get("active_tasks").toString()).isEqualTo("3");
        assertThat(w.get("last_error_rate").toString()).isEqualTo("0.25");
        assertThat(w.get("last_sample_error").asText()).isEqualTo("timeout");
        assertThat(w.get("uptime_seconds").toString()).isEqualTo("42");
        assertThat(w.get("current_task").asText()).isEqualTo("doing x");
        assertThat(w.get("monthly_spend").toString()).isEqualTo("1234");

        okHeartbeat(id, token, "\"error_rate\":0,\"monthly_spend\":0");
        w = listed(id);
        assertThat(w.get("last_error_rate").toString()).as("Go prints 0, not 0.0").isEqualTo("0");
        assertThat(w.get("monthly_spend").toString()).as("0 does not overwrite").isEqualTo("1234");
        assertThat(w.get("current_task").asText()).isEmpty();
        assertThat(w.get("active_tasks").toString()).isEqualTo("0");

        okHeartbeat(id, token, "\"monthly_spend\":99999999999999");
        assertThat(listed(id).get("monthly_spend").toString()).as("clamped to 1e12").isEqualTo("1000000000000");
    }

    @Test
    void heartbeatAuthAndValidation() {
        String id = create("{\"name\":\"Guarded\"}");
        String token = registered(id);
        Http.Response missing = heartbeat(id, null, "");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("{\"error\":\"missing workspace auth token\"}");
        Http.Response wrong = heartbeat(id, "wrong", "");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo("{\"error\":\"invalid workspace auth token\"}");

        Http.Response rate = heartbeat(id, token, "\"error_rate\":1.5");
        assertThat(rate.status()).isEqualTo(400);
        assertThat(rate.body()).isEqualTo("{\"error\":\"error_rate must be between 0 and 1\"}");

        for (String bad : List.of("{}", "{\"workspace_id\":\"nope\"}", "{\"workspace_id\":\"" + id + "\",\"error_rate\":\"high\"}", "x")) {
            Http.Response r = http.post("/registry/heartbeat", bad, "Authorization", bearer(token));
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).isEqualTo("{\"error\":\"invalid request body\"}");
        }
    }

    // ---- update-card ---------------------------------------------------------------------

    @Test
    void updateCardStoresTheCardAndEmitsAgentCardUpdated() {
        String id = create("{\"name\":\"Carded\"}");
        String token = registered(id);
        String card = "{\"name\":\"v2\",\"skills\":[{\"id\":\"research\",\"tags\":[\"web\"]}],\"version\":2}";
        String body = "{\"workspace_id\":\"" + id + "\",\"agent_card\":" + card + "}";

        Http.Response noToken = http.post("/registry/update-card", body);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.body()).isEqualTo("{\"error\":\"missing workspace auth token\"}");

        Http.Response r = http.post("/registry/update-card", body, "Authorization", bearer(token));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"updated\"}");
        assertThat(awaitNth(id, "AGENT_CARD_UPDATED", 1)).isEqualTo(json("{\"agent_card\":" + card + "}"));
        assertThat(http.get("/workspaces/" + id).json().get("agent_card")).isEqualTo(json(card));
        assertThat(http.get("/events/" + id, admin()).json().findValuesAsText("event_type")).contains("AGENT_CARD_UPDATED");

        Http.Response bad = http.post("/registry/update-card", "{\"workspace_id\":\"" + id + "\"}", "Authorization", bearer(token));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"error\":\"invalid request body\"}");
    }

    // ---- discover ------------------------------------------------------------------------

    /** D ── D1 ── D1a, D ── D2 ── D2a, D ── D3 (never registered); all but D3 registered. */
    record Family(String d, String d1, String d2, String d3, String d1a, String d2a,
                  String tD1, String tD1a, String tD2a) {
    }

    private static Family family() {
        String d = create("{\"name\":\"D\"}");
        String d1 = create("{\"name\":\"D1\",\"parent_id\":\"" + d + "\"}");
        String d2 = create("{\"name\":\"D2\",\"parent_id\":\"" + d + "\"}");
        String d3 = create("{\"name\":\"D3\",\"parent_id\":\"" + d + "\"}");
        String d1a = create("{\"name\":\"D1a\",\"parent_id\":\"" + d1 + "\"}");
        String d2a = create("{\"name\":\"D2a\",\"parent_id\":\"" + d2 + "\"}");
        registered(d);
        registered(d2);
        return new Family(d, d1, d2, d3, d1a, d2a, registered(d1), registered(d1a), registered(d2a));
    }

    private static Http.Response discover(String target, String... headers) {
        return http.get("/registry/discover/" + target, headers);
    }

    @Test
    void discoverChecksTheCallerThenTheHierarchyThenAvailability() {
        Family f = family();
        Http.Response noHeader = discover(f.d2());
        assertThat(noHeader.status()).isEqualTo(400);
        assertThat(noHeader.body()).isEqualTo("{\"error\":\"X-Workspace-ID header is required\"}");

        Http.Response noBearer = discover(f.d2(), "X-Workspace-ID", f.d1());
        assertThat(noBearer.status()).isEqualTo(401);
        assertThat(noBearer.body()).isEqualTo("{\"error\":\"missing workspace auth token\"}");

        Http.Response wrongBearer = discover(f.d2(), "X-Workspace-ID", f.d1(), "Authorization", bearer(f.tD1a()));
        assertThat(wrongBearer.status()).as("a child's token is not the caller's").isEqualTo(401);
        assertThat(wrongBearer.body()).isEqualTo("{\"error\":\"invalid workspace auth token\"}");

        Http.Response cousin = discover(f.d2a(), "X-Workspace-ID", f.d1a(), "Authorization", bearer(f.tD1a()));
        assertThat(cousin.status()).isEqualTo(403);
        assertThat(cousin.body()).isEqualTo("{\"error\":\"not authorized to discover this workspace\"}");

        Http.Response unknown = discover(UUID.randomUUID().toString(), "X-Workspace-ID", f.d1(), "Authorization", bearer(f.tD1()));
        assertThat(unknown.status()).as("unknown target fails CanCommunicate first").isEqualTo(403);

        Http.Response notOnline = discover(f.d3(), "X-Workspace-ID", f.d1(), "Authorization", bearer(f.tD1()));
        assertThat(notOnline.status()).isEqualTo(503);
        assertThat(notOnline.json()).isEqualTo(json("{\"error\":\"workspace not available\",\"status\":\"provisioning\"}"));

        Http.Response sibling = discover(f.d2(), "X-Workspace-ID", f.d1(), "Authorization", bearer(f.tD1()));
        assertThat(sibling.status()).isEqualTo(200);
        assertThat(sibling.json()).isEqualTo(json("{\"id\":\"" + f.d2() + "\",\"url\":\"" + AGENT_URL + "\",\"name\":\"D2\"}"));

        Http.Response grandparent = discover(f.d(), "X-Workspace-ID", f.d1a(), "Authorization", bearer(f.tD1a()));
        assertThat(grandparent.status()).isEqualTo(200);
        assertThat(grandparent.json().get("name").asText()).isEqualTo("D");

        // a caller with no token yet is allowed without a bearer (bootstrap)
        Http.Response tokenless = discover(f.d(), "X-Workspace-ID", f.d3());
        assertThat(tokenless.status()).isEqualTo(200);

        Http.Response degraded;
        sql("UPDATE workspaces SET status = 'degraded' WHERE id = :id", f.d2());
        degraded = discover(f.d2(), "X-Workspace-ID", f.d1(), "Authorization", bearer(f.tD1()));
        assertThat(degraded.status()).as("degraded is still reachable").isEqualTo(200);

        sql("UPDATE workspaces SET url = 'http://10.0.0.7:8000' WHERE id = :id", f.d2());
        Http.Response unsafe = discover(f.d2(), "X-Workspace-ID", f.d1(), "Authorization", bearer(f.tD1()));
        assertThat(unsafe.status()).isEqualTo(503);
        assertThat(unsafe.body()).isEqualTo("{\"error\":\"workspace URL failed safety check\"}");
    }

    // ---- peers ---------------------------------------------------------------------------

    @Test
    void peersAreSiblingsThenChildrenThenParentFilteredAndWithoutRemoved() {
        try (TestPlatform p = TestPlatform.start()) {
            Http h = p.http();
            String r = p.createWorkspace("{\"name\":\"Root\",\"role\":\"Lead\"}");
            String other = p.createWorkspace("{\"name\":\"Other Root\"}");
            String goneRoot = p.createWorkspace("{\"name\":\"Gone Root\"}");
            String q1 = p.createWorkspace("{\"name\":\"Q1\",\"role\":\"Manager\",\"parent_id\":\"" + r + "\"}");
            String q2 = p.createWorkspace("{\"name\":\"Q2\",\"role\":\"Backend Engineer\",\"parent_id\":\"" + r + "\"}");
            String q3 = p.createWorkspace("{\"name\":\"Frontend\",\"parent_id\":\"" + r + "\"}");
            String q4 = p.createWorkspace("{\"name\":\"Q4 removed\",\"parent_id\":\"" + r + "\"}");
            String q1a = p.createWorkspace("{\"name\":\"Q1a\",\"role\":\"QA engineer\",\"parent_id\":\"" + q1 + "\"}");
            String q1b = p.createWorkspace("{\"name\":\"Q1b\",\"parent_id\":\"" + q1 + "\"}");
            assertThat(h.delete("/workspaces/" + q4).status()).isEqualTo(200);
            assertThat(h.delete("/workspaces/" + goneRoot).status()).isEqualTo(200);

            assertThat(peerIds(h, q1, "")).containsExactly(q2, q3, q1a, q1b, r);
            assertThat(peerIds(h, r, "")).as("a root's siblings are the other roots").containsExactly(other, q1, q2, q3);
            assertThat(peerIds(h, q1a, "")).containsExactly(q1b, q1);
            assertThat(peerIds(h, q1, "?q=ENGINEER")).as("role, case-insensitive").containsExactly(q2, q1a);
            assertThat(peerIds(h, q1, "?q=front")).as("name").containsExactly(q3);
            assertThat(peerIds(h, q1, "?q=lead")).as("parent's role").containsExactly(r);
            assertThat(peerIds(h, q1, "?q=zzz")).isEmpty();
            assertThat(h.get("/registry/" + q1 + "/peers?q=zzz").body()).isEqualTo("[]");

            JsonNode q2Peer = h.get("/registry/" + q1 + "/peers").json().get(0);
            assertThat(q2Peer.fieldNames()).toIterable().containsExactly(
                    "id", "name", "role", "tier", "status", "agent_card", "url", "parent_id", "active_tasks");
            assertThat(q2Peer.get("parent_id").asText()).isEqualTo(r);
            assertThat(q2Peer.get("agent_card").isNull()).isTrue();
            JsonNode q3Peer = h.get("/registry/" + q1 + "/peers").json().get(1);
            assertThat(q3Peer.get("role").isNull()).as("explicit null role").isTrue();

            assertThat(h.get("/registry/" + q4 + "/peers").status()).as("removed workspace has no peers").isEqualTo(404);

            // once Q1 has a token, its peers need its bearer
            String token = p.register(q1);
            Http.Response noBearer = h.get("/registry/" + q1 + "/peers");
            assertThat(noBearer.status()).isEqualTo(401);
            assertThat(noBearer.body()).isEqualTo("{\"error\":\"missing workspace auth token\"}");
            assertThat(h.get("/registry/" + q1 + "/peers", "Authorization", bearer(token)).status()).isEqualTo(200);
        }
    }

    private static List<String> peerIds(Http h, String id, String query) {
        Http.Response r = h.get("/registry/" + id + "/peers" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return StreamSupport.stream(r.json().spliterator(), false).map(n -> n.get("id").asText()).toList();
    }
}
