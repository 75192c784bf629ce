package ai.molecule.platform.events;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Recorded events (/events), the /ws stream and SSE (spec §5, §1.18). */
class EventsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
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
    void eventsListsRecordedEventsNewestFirstWithoutBroadcastOnlyOnes() {
        try (TestPlatform p = TestPlatform.start("MOLECULE_ENV", "development");
             WsClient ws = WsClient.connect(p.http().base())) {
            Http h = p.http();
            String w = p.createWorkspace("{\"name\":\"W\",\"tier\":2}");
            String token = p.register(w);
            Http.Response hb = h.post("/registry/heartbeat",
                    "{\"workspace_id\":\"" + w + "\",\"active_tasks\":1,\"uptime_seconds\":5}", "Authorization", bearer(token));
            assertThat(hb.status()).isEqualTo(200);
            h.post("/workspaces/" + w + "/notify", "{\"message\":\"hi\"}");
            h.post("/workspaces/" + w + "/activity", "{\"activity_type\":\"agent_log\"}");
            String v = p.createWorkspace("{\"name\":\"V\"}");
            // every one of them went out on the socket...
            await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(v).contains("WORKSPACE_PROVISIONING"));
            assertThat(ws.events(w)).contains("WORKSPACE_PROVISIONING", "WORKSPACE_ONLINE", "WORKSPACE_HEARTBEAT",
                    "AGENT_MESSAGE", "ACTIVITY_LOGGED");

            // ...but only the recorded ones are in structure_events
            Http.Response r = h.get("/events");
            assertThat(r.status()).isEqualTo(200);
            JsonNode all = r.json();
            assertThat(types(all)).containsExactly("WORKSPACE_PROVISIONING", "WORKSPACE_ONLINE", "WORKSPACE_PROVISIONING");
            assertThat(workspaceIds(all)).containsExactly(v, w, w);
            for (JsonNode e : all) {
                assertThat(e.fieldNames()).toIterable().containsExactly("id", "event_type", "workspace_id", "payload", "created_at");
                assertThat(UUID.fromString(e.get("id").asText())).isNotNull();
                assertThat(Instant.parse(e.get("created_at").asText())).isAfter(Instant.now().minusSeconds(60));
            }
            JsonNode provisioning = all.get(2).get("payload");
            assertThat(provisioning.get("name").asText()).isEqualTo("W");
            assertThat(provisioning.get("tier").asInt()).isEqualTo(2);
            assertThat(provisioning.has("runtime")).isTrue();
            assertThat(all.get(1).get("payload").get("url").asText()).isEqualTo("http://93.184.216.34:8000");

            JsonNode onlyW = h.get("/events/" + w).json();
            assertThat(types(onlyW)).containsExactly("WORKSPACE_ONLINE", "WORKSPACE_PROVISIONING");
            assertThat(workspaceIds(onlyW)).containsOnly(w);
            assertThat(h.get("/events/" + UUID.randomUUID()).body()).isEqualTo("[]");
            Http.Response bad = h.get("/events/not-a-uuid");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).isEqualTo("{\"error\":\"invalid workspace ID\"}");
        }
    }

    @Test
    void eventsAreAdminAuthOnceTokensExist() {
        try (TestPlatform p = TestPlatform.start()) {
            assertThat(p.http().get("/events").status()).as("fail-open without tokens").isEqualTo(200);
            String w = p.createWorkspace("{\"name\":\"W\"}");
            String token = p.register(w);
            for (String path : List.of("/events", "/events/" + w)) {
                Http.Response none = p.http().get(path);
                assertThat(none.status()).isEqualTo(401);
                assertThat(none.body()).isEqualTo("{\"error\":\"admin auth required\"}");
                Http.Response bad = p.http().get(path, "Authorization", "Bearer nope");
                assertThat(bad.status()).isEqualTo(401);
                assertThat(bad.body()).isEqualTo("{\"error\":\"invalid admin auth token\"}");
                assertThat(p.http().get(path, "Authorization", bearer(token)).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void canvasClientReceivesEveryEventInTheEnvelope() {
        String a = platform.createWorkspace("{\"name\":\"A\"}");
        String b = platform.createWorkspace("{\"name\":\"B\"}");
        try (WsClient ws = WsClient.connect(http.base())) {
            http.post("/workspaces/" + a + "/notify", "{\"message\":\"from a\"}");
            http.post("/workspaces/" + b + "/notify", "{\"message\":\"from b\"}");
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    ws.events(a).contains("AGENT_MESSAGE") && ws.events(b).contains("AGENT_MESSAGE"));
            JsonNode frame = ws.frames().stream().filter(f -> f.path("workspace_id").asText().equals(a)).findFirst().orElseThrow();
            assertThat(frame.fieldNames()).toIterable().containsExactly("event", "workspace_id", "timestamp", "payload");
            assertThat(frame.get("event").asText()).isEqualTo("AGENT_MESSAGE");
            assertThat(frame.get("timestamp").asText()).endsWith("Z");
            assertThat(Instant.parse(frame.get("timestamp").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
            assertThat(frame.get("payload").get("message").asText()).isEqualTo("from a");
        }
    }

    /**
     * R ─┬─ A ── A1
     *    └─ B ── B1     A1 may talk to itself, its parent A and ancestor R; not to uncle B or cousin B1.
     */
    @Test
    void workspaceClientOnlyReceivesEventsOfWorkspacesItMayTalkTo() {
        String r = platform.createWorkspace("{\"name\":\"R\"}");
        String a = platform.createWorkspace("{\"name\":\"A\",\"parent_id\":\"" + r + "\"}");
        String b = platform.createWorkspace("{\"name\":\"B\",\"parent_id\":\"" + r + "\"}");
        String a1 = platform.createWorkspace("{\"name\":\"A1\",\"parent_id\":\"" + a + "\"}");
        String b1 = platform.createWorkspace("{\"name\":\"B1\",\"parent_id\":\"" + b + "\"}");
        try (WsClient canvas = WsClient.connect(http.base());
             WsClient ws = WsClient.connect(http.base(), "X-Workspace-ID", a1)) {
            for (String id : List.of(b1, a, b, r, a1)) http.post("/workspaces/" + id + "/notify", "{\"message\":\"m\"}");
            // per-client delivery is in order: once A1's own (last) event is in, the others were decided
            await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(a1).contains("AGENT_MESSAGE"));
            assertThat(workspaceIdsOf(ws.frames())).containsExactly(a, r, a1);
            await().atMost(Duration.ofSeconds(5)).until(() -> canvas.events(a1).contains("AGENT_MESSAGE"));
            assertThat(workspaceIdsOf(canvas.frames())).as("the canvas sees all").containsExactly(b1, a, b, r, a1);
        }
    }

    @Test
    void workspaceWithALiveTokenNeedsItsBearerToConnect() {
        String a = platform.createWorkspace("{\"name\":\"A\"}");
        String b = platform.createWorkspace("{\"name\":\"B\"}");
        String tokenA = platform.register(a);
        String tokenB = platform.register(b);

        assertThat(handshakeStatus(() -> WsClient.connect(http.base(), "X-Workspace-ID", a))).isEqualTo(401);
        assertThat(handshakeStatus(() -> WsClient.connect(http.base(), "X-Workspace-ID", a, "Authorization", bearer(tokenB))))
                .isEqualTo(401);
        assertThat(handshakeStatus(() -> WsClient.connect(http.base(), "X-Workspace-ID", "not-a-uuid"))).isEqualTo(400);

        try (WsClient ws = WsClient.connect(http.base(), "X-Workspace-ID", a, "Authorization", bearer(tokenA))) {
            http.post("/workspaces/" + a + "/notify", "{\"message\":\"m\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> ws.events(a).contains("AGENT_MESSAGE"));
        }
        // a canvas client needs nothing even though tokens exist
        try (WsClient canvas = WsClient.connect(http.base())) {
            assertThat(canvas).isNotNull();
        }
    }

    /**
     * A client without X-Workspace-ID receives every event: a browser must come from the canvas's
     * own origin or an allowed one (no cross-site WebSocket hijacking), anything else needs admin auth.
     */
    @Test
    void theAllEventsStreamIsOnlyForTheCanvasOrAnAdmin() {
        try (TestPlatform p = TestPlatform.start("ADMIN_TOKEN", "ws-admin")) {
            String base = p.http().base();
            assertThat(handshakeStatus(() -> WsClient.connect(base, "Origin", "https://evil.example"))).isEqualTo(403);
            assertThat(handshakeStatus(() -> WsClient.connect(base, "Origin", "null"))).isEqualTo(403);
            // no Origin (not a browser) and no X-Workspace-ID: an admin's client
            assertThat(handshakeStatus(() -> WsClient.connect(base, "X-Workspace-ID", "", "Authorization", "Bearer wrong")))
                    .isEqualTo(401);
            String w = p.createWorkspace("{\"name\":\"W\"}", "Authorization", bearer("ws-admin"));
            try (WsClient admin = WsClient.connect(base, "X-Workspace-ID", "", "Authorization", bearer("ws-admin"));
                 WsClient same = WsClient.connect(base);
                 WsClient dev = WsClient.connect(base, "Origin", "http://localhost:3000")) {
                p.http().post("/workspaces/" + w + "/notify", "{\"message\":\"m\"}", "Authorization", bearer("ws-admin"));
                for (WsClient c : List.of(admin, same, dev)) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> c.events(w).contains("AGENT_MESSAGE"));
                }
            }
        }
    }

    @Test
    void sseStreamsOnlyThatWorkspacesEvents() throws Exception {
        String w = platform.createWorkspace("{\"name\":\"W\"}");
        String other = platform.createWorkspace("{\"name\":\"other\"}");
        try (Sse sse = Sse.open(http.base() + "/workspaces/" + w + "/events/stream")) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.contentType).startsWith("text/event-stream");
            await().atMost(Duration.ofSeconds(5)).until(() -> !sse.lines.isEmpty());
            assertThat(sse.lines.get(0)).isEqualTo(": ping");

            http.post("/workspaces/" + other + "/notify", "{\"message\":\"not for w\"}");
            http.post("/workspaces/" + w + "/notify", "{\"message\":\"for w\"}");
            http.post("/workspaces/" + w + "/activity", "{\"activity_type\":\"agent_log\",\"summary\":\"logged\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> sse.data().size() >= 2);

            List<JsonNode> data = sse.data();
            assertThat(data).hasSize(2);
            assertThat(sse.lines).noneMatch(l -> l.contains("not for w"));
            long now = System.currentTimeMillis();
            for (JsonNode d : data) {
                assertThat(d.fieldNames()).toIterable().containsExactly("type", "timestamp", "data");
                assertThat(d.get("timestamp").isIntegralNumber()).isTrue();
                assertThat(d.get("timestamp").asLong()).isBetween(now - 60_000, now + 1_000);
            }
            assertThat(data.get(0).get("type").asText()).isEqualTo("AGENT_MESSAGE");
            assertThat(data.get(0).get("data").get("message").asText()).isEqualTo("for w");
            assertThat(data.get(0).get("data").get("workspace_id").asText()).isEqualTo(w);
            assertThat(data.get(1).get("type").asText()).isEqualTo("ACTIVITY_LOGGED");
            assertThat(data.get(1).get("data").get("summary").asText()).isEqualTo("logged");
        }
    }

    @Test
    void sseOfUnknownOrInvalidWorkspace() {
        Http.Response unknown = http.get("/workspaces/" + UUID.randomUUID() + "/events/stream");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"workspace not found\"}");
        Http.Response invalid = http.get("/workspaces/nope/events/stream");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).isEqualTo("{\"error\":\"invalid workspace ID\"}");
    }

    @Test
    void sseNeedsTheWorkspacesBearerOutsideDevMode() throws Exception {
        try (TestPlatform p = TestPlatform.start()) {
            String w = p.createWorkspace("{\"name\":\"W\"}");
            String token = p.register(w);
            Http.Response none = p.http().get("/workspaces/" + w + "/events/stream");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.body()).isEqualTo("{\"error\":\"missing workspace auth token\"}");
            try (Sse sse = Sse.open(p.http().base() + "/workspaces/" + w + "/events/stream", "Authorization", bearer(token))) {
                assertThat(sse.status).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).until(() -> sse.lines.contains(": ping"));
            }
        }
    }

    /** A live SSE connection whose lines are collected by a background reader. */
    static final class Sse implements AutoCloseable {
        final HttpClient client = HttpClient.newHttpClient();
        final List<String> lines = new CopyOnWriteArrayList<>();
        int status;
        String contentType;
        private Stream<String> body;

        static Sse open(String url, String... headers) throws Exception {
            Sse s = new Sse();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
            for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
            HttpResponse<Stream<String>> r = s.client.send(b.build(), HttpResponse.BodyHandlers.ofLines());
            s.status = r.statusCode();
            s.contentType = r.headers().firstValue("Content-Type").orElse("");
            s.body = r.body();
            Thread.ofVirtual().start(() -> {
                try {
                    s.body.forEach(line -> {
                        if (!line.isEmpty()) s.lines.add(line);
                    });
                } catch (RuntimeException closed) {
                    // stream closed by the test
                }
            });
            return s;
        }

        List<JsonNode> data() {
            List<JsonNode> out = new ArrayList<>();
            for (String l : lines) {
                if (!l.startsWith("data: ")) continue;
                try {
                    out.add(MAPPER.readTree(l.substring(6)));
                } catch (Exception e) {
                    throw new AssertionError("bad SSE data line: " + l, e);
                }
            }
            return out;
        }

        @Override
        public void close() {
            body.close();
            client.shutdownNow();
        }
    }

    private static int handshakeStatus(Runnable connect) {
        Throwable t = catchThrowable(connect::run);
        assertThat(t).as("the upgrade must be refused").isNotNull();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof WebSocketHandshakeException h) return h.getResponse().statusCode();
        }
        throw new AssertionError("not a handshake failure", t);
    }

    private static List<String> types(JsonNode events) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) out.add(e.get("event_type").asText());
        return out;
    }

    private static List<String> workspaceIds(JsonNode events) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) out.add(e.get("workspace_id").asText());
        return out;
    }

    private static List<String> workspaceIdsOf(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("workspace_id").asText()).toList();
    }
}
