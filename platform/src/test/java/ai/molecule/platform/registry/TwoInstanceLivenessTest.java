package ai.molecule.platform.registry;

import ai.molecule.platform.PlatformConfig;
import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.PgEventRelay;
import ai.molecule.platform.health.Subsystems;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two platform instances on one database, both sweeping every 200 ms: every timed
 * transition happens exactly once (one row in structure_events, one frame per client), and
 * an event caused on one instance reaches a socket on the other through LISTEN/NOTIFY,
 * including one too large for a notification.
 */
class TwoInstanceLivenessTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN = "two-instance-admin";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String[] TIMINGS = {"ADMIN_TOKEN", ADMIN, "LIVENESS_TTL_SECONDS", "1",
            "LIVENESS_SWEEP_INTERVAL_MS", "200", "PROVISION_TIMEOUT_SECONDS", "1"};

    static TestPlatform a, b;
    static WsClient wsA, wsB;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        a = TestPlatform.start(TIMINGS);
        b = TestPlatform.sharing(a, TIMINGS);
        jdbi = a.platform().database().jdbi();
        wsA = WsClient.connect(a.http().base());
        wsB = WsClient.connect(b.http().base());
        barrier(); // both sockets attached and both relays listening
    }

    @AfterAll
    static void stop() {
        wsA.close();
        wsB.close();
        b.close();
        a.close();
    }

    /**
     * One event caused on each instance, awaited on both sockets. Events of one instance reach
     * a socket in order, so anything emitted before the barrier has arrived once it has.
     */
    private static void barrier() {
        for (TestPlatform p : List.of(a, b)) {
            String id = UUID.randomUUID().toString();
            p.register(id);
            await().atMost(WAIT).until(() -> wsA.events(id).contains("WORKSPACE_ONLINE") && wsB.events(id).contains("WORKSPACE_ONLINE"));
        }
    }

    private static Map<UUID, Long> recorded(String eventType, List<String> ids) {
        List<UUID> uuids = ids.stream().map(UUID::fromString).toList();
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT workspace_id FROM structure_events WHERE event_type = :t AND workspace_id IN (<ids>)""")
                .bind("t", eventType).bindList("ids", uuids).mapTo(UUID.class).list())
                .stream().collect(Collectors.groupingBy(u -> u, Collectors.counting()));
    }

    private static long statusCount(List<String> ids, String status) {
        List<UUID> uuids = ids.stream().map(UUID::fromString).toList();
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM workspaces WHERE id IN (<ids>) AND status = :s")
                .bindList("ids", uuids).bind("s", status).mapTo(Long.class).one());
    }

    private static long frames(WsClient ws, String id, String event) {
        return ws.events(id).stream().filter(event::equals).count();
    }

    /** The status flips before the sweeper records its events, so wait for the rows, then for the sockets. */
    private static void assertExactlyOnce(String event, List<String> ids) {
        await().atMost(WAIT).until(() -> recorded(event, ids).size() == ids.size());
        barrier();
        Map<UUID, Long> rows = recorded(event, ids);
        assertThat(rows).as("one %s row per workspace", event).hasSize(ids.size());
        assertThat(rows.values()).as("no workspace recorded twice").allMatch(n -> n == 1);
        for (String id : ids) {
            assertThat(frames(wsA, id, event)).as("socket on A, " + id).isEqualTo(1);
            assertThat(frames(wsB, id, event)).as("socket on B, " + id).isEqualTo(1);
        }
    }

    @Test
    void twentySilentAgentsGoOfflineExactlyOnceEach() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = UUID.randomUUID().toString();
            (i % 2 == 0 ? a : b).register(id);
            ids.add(id);
        }
        await().atMost(WAIT).until(() -> statusCount(ids, "offline") == ids.size());
        assertExactlyOnce("WORKSPACE_OFFLINE", ids);
    }

    @Test
    void twentyUnregisteredWorkspacesFailExactlyOnceEach() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add((i % 2 == 0 ? a : b).createWorkspace("{\"name\":\"never-" + i + "\"}", "Authorization", bearer(ADMIN)));
        }
        await().atMost(WAIT).until(() -> statusCount(ids, "failed") == ids.size());
        assertExactlyOnce("WORKSPACE_PROVISION_FAILED", ids);
    }

    @Test
    void anEventCausedOnOneInstanceReachesASocketOnTheOtherOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String token = a.register(id);
        await().atMost(WAIT).until(() -> frames(wsB, id, "WORKSPACE_ONLINE") == 1);
        JsonNode online = wsB.frames().stream()
                .filter(f -> id.equals(f.path("workspace_id").asText()) && "WORKSPACE_ONLINE".equals(f.path("event").asText()))
                .findFirst().orElseThrow();
        assertThat(online.get("payload").get("url").asText()).isEqualTo("http://93.184.216.34:8000");
        assertThat(online.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");

        // an agent card of ~20 KB: far past the 8000-byte NOTIFY limit
        StringBuilder skills = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            if (i > 0) skills.append(',');
            skills.append("{\"id\":\"skill-").append(i).append("\",\"description\":\"")
                    .append("x".repeat(80)).append("\"}");
        }
        String card = "{\"name\":\"big\",\"skills\":[" + skills + "]}";
        assertThat(card.length()).isGreaterThan(20_000);
        long relayRowsBefore = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM event_relay").mapTo(Long.class).one());
        Http.Response r = a.http().post("/registry/update-card",
                "{\"workspace_id\":\"" + id + "\",\"agent_card\":" + card + "}", "Authorization", bearer(token));
        assertThat(r.status()).isEqualTo(200);

        await().atMost(WAIT).until(() -> frames(wsB, id, "AGENT_CARD_UPDATED") == 1);
        JsonNode relayed = wsB.frames().stream()
                .filter(f -> id.equals(f.path("workspace_id").asText()) && "AGENT_CARD_UPDATED".equals(f.path("event").asText()))
                .findFirst().orElseThrow();
        assertThat(relayed.get("payload").get("agent_card")).isEqualTo(MAPPER.readTree(card));
        long relayRowsAfter = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM event_relay").mapTo(Long.class).one());
        assertThat(relayRowsAfter).as("the large event went through the event_relay table").isGreaterThan(relayRowsBefore);

        barrier();
        assertThat(frames(wsB, id, "AGENT_CARD_UPDATED")).as("relayed once").isEqualTo(1);
        assertThat(frames(wsA, id, "AGENT_CARD_UPDATED")).as("local once, not echoed back").isEqualTo(1);
        assertThat(frames(wsB, id, "WORKSPACE_ONLINE")).isEqualTo(1);
        assertThat(frames(wsA, id, "WORKSPACE_ONLINE")).isEqualTo(1);
    }

    @Test
    void broadcastOnlyEventsAreRelayedButNotRecorded() {
        String id = UUID.randomUUID().toString();
        String token = b.register(id);
        Http.Response r = b.http().post("/registry/heartbeat",
                "{\"workspace_id\":\"" + id + "\",\"current_task\":\"relay me\",\"active_tasks\":1}", "Authorization", bearer(token));
        assertThat(r.status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> frames(wsA, id, "WORKSPACE_HEARTBEAT") == 1 && frames(wsA, id, "TASK_UPDATED") == 1);
        assertThat(recorded("WORKSPACE_HEARTBEAT", List.of(id))).isEmpty();
        assertThat(recorded("TASK_UPDATED", List.of(id))).isEmpty();
    }

    /**
     * The timers above rarely overlap, so also race eight sweepers head-on over the same
     * stale rows: each transition must still be claimed by exactly one of them.
     */
    @Test
    void sweepsRacingHeadOnClaimEachRowOnce() throws Exception {
        PlatformConfig config = PlatformConfig.fromEnv(Map.of("LIVENESS_TTL_SECONDS", "1", "PROVISION_TIMEOUT_SECONDS", "1"));
        List<LivenessSweeper> sweepers = new ArrayList<>();
        List<AutoCloseable> relays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            EventBus bus = new EventBus(jdbi);
            // their events reach A's and B's sockets
            var writes = new ai.molecule.platform.db.WriteBehind(a.platform().database().relaxed());
            var listener = new ai.molecule.platform.db.PgListener(a.platform().database().dataSource());
            new PgEventRelay(listener, jdbi, bus, "racer-" + i, writes);
            relays.add(listener.start());
            relays.add(writes);
            sweepers.add(new LivenessSweeper(jdbi, bus, config, new Subsystems(jdbi)));
        }
        List<String> offline = new ArrayList<>(), failed = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(sweepers.size());
        try {
            for (int round = 0; round < 5; round++) {
                List<UUID> stale = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String on = UUID.randomUUID().toString();
                    a.register(on);
                    offline.add(on);
                    String prov = a.createWorkspace("{\"name\":\"race-" + round + "-" + i + "\"}", "Authorization", bearer(ADMIN));
                    failed.add(prov);
                    stale.add(UUID.fromString(on));
                    stale.add(UUID.fromString(prov));
                }
                // stale in one statement, so every sweeper sees all of them at once
                jdbi.useHandle(h -> h.createUpdate("""
                                UPDATE workspaces SET last_heartbeat_at = now() - interval '1 hour',
                                  updated_at = now() - interval '1 hour' WHERE id IN (<ids>)""")
                        .bindList("ids", stale).execute());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> runs = new ArrayList<>();
                for (LivenessSweeper s : sweepers) runs.add(pool.submit(() -> {
                    go.await();
                    s.sweep();
                    return null;
                }));
                go.countDown();
                for (Future<?> f : runs) f.get();
            }
        } finally {
            pool.shutdownNow();
            for (AutoCloseable r : relays) r.close();
        }
        await().atMost(WAIT).until(() -> statusCount(offline, "offline") == offline.size()
                && statusCount(failed, "failed") == failed.size());
        assertExactlyOnce("WORKSPACE_OFFLINE", offline);
        assertExactlyOnce("WORKSPACE_PROVISION_FAILED", failed);
    }
}
