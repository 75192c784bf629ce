package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.GatedModel;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durable A2A queue (spec §3.3): a target at max_concurrent_tasks gets 202 queued, the
 * message is delivered when capacity comes back (end of the running task, or the target's
 * heartbeat), in order, once per messageId, and survives a platform restart.
 */
class A2aQueueTest {
    private static final String ADMIN = "a2a-queue-admin";
    private static final String BUSY_MESSAGE = "workspace agent busy — request queued, will dispatch when capacity available";

    TestPlatform platform;
    Agents agents;
    GatedModel model;

    @BeforeEach
    void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded");
        agents = new Agents(platform, ADMIN);
        model = new GatedModel();
    }

    @AfterEach
    void stop() {
        platform.close();
        model.close();
    }

    private String busyTarget(String name) {
        return agents.online("{\"name\":\"" + name + "\",\"model\":\"openai-compatible:gated\",\"max_concurrent_tasks\":1,"
                + "\"secrets\":{\"OPENAI_COMPATIBLE_BASE_URL\":\"" + model.baseUrl() + "\",\"HEARTBEAT_INTERVAL_SECONDS\":\"1\"}}");
    }

    /** Sends a message that holds the target's only slot until the model gate opens. */
    private CompletableFuture<Http.Response> occupy(String target, String text) {
        CompletableFuture<Http.Response> f = CompletableFuture.supplyAsync(() -> agents.a2a(target, send(text)));
        await().atMost(Duration.ofSeconds(10)).until(() -> model.received().contains(text));
        return f;
    }

    private static void assertQueued(Http.Response r, int depth) {
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        JsonNode b = r.json();
        assertThat(b.get("queued").asBoolean()).isTrue();
        assertThat(b.get("queue_id").asText()).matches("[0-9a-f-]{36}");
        assertThat(b.get("queue_depth").asInt()).isEqualTo(depth);
        assertThat(b.get("message").asText()).isEqualTo(BUSY_MESSAGE);
        assertThat(b.size()).isEqualTo(4);
    }

    private List<String> receivedTexts(String target) {
        return agents.activity(target, "a2a_receive").stream()
                .map(a -> a.at("/request_body/params/message/parts/0/text").asText()).toList().reversed();
    }

    @Test
    void aBusyTargetQueuesInOrderOncePerMessageIdAndDeliversWhenFree() {
        String target = busyTarget("Busy");
        CompletableFuture<Http.Response> first = occupy(target, "first");

        Http.Response second = agents.a2a(target, send("second", "msg-2"));
        assertQueued(second, 1);
        Http.Response third = agents.a2a(target, send("third", "msg-3"));
        assertQueued(third, 2);
        assertThat(third.json().get("queue_id").asText()).isNotEqualTo(second.json().get("queue_id").asText());

        Http.Response resent = agents.a2a(target, send("second", "msg-2"));
        assertQueued(resent, 2);
        assertThat(resent.json().get("queue_id").asText()).as("idempotent re-send").isEqualTo(second.json().get("queue_id").asText());
        assertThat(model.received()).as("nothing queued reached the agent yet").containsExactly("first");

        model.openGate();
        assertThat(first.join().json().at("/result/parts/0/text").asText()).isEqualTo("slow: first");
        await().atMost(Duration.ofSeconds(15)).until(() -> receivedTexts(target).size() == 3);
        assertThat(receivedTexts(target)).containsExactly("first", "second", "third");
        assertThat(model.received()).as("each message once, in order").containsExactly("first", "second", "third");
        JsonNode delivered = agents.activity(target, "a2a_receive").get(0);
        assertThat(delivered.at("/response_body/result/parts/0/text").asText()).isEqualTo("slow: third");
        assertThat(delivered.get("source_id").isNull()).isTrue();
    }

    @Test
    void aQueuedMessageWaitingForAHeartbeatIsDelivered() {
        String target = busyTarget("Beat");
        CompletableFuture<Http.Response> first = occupy(target, "hold");
        assertQueued(agents.a2a(target, send("waiting")), 1);
        // the slot frees but the row is put back by hand, so only a heartbeat can deliver it
        platform.platform().database().jdbi().useHandle(h -> h.execute("UPDATE a2a_queue SET status = 'dropped'"));
        model.openGate();
        first.join();
        platform.platform().database().jdbi().useHandle(h -> h.execute("UPDATE a2a_queue SET status = 'queued'"));
        await().atMost(Duration.ofSeconds(10)).until(() -> receivedTexts(target).contains("waiting"));
        assertThat(model.received()).containsExactly("hold", "waiting");
    }

    @Test
    void nothingQueuedIsLostAcrossAPlatformRestart() {
        String target = busyTarget("Durable");
        CompletableFuture<Http.Response> first = occupy(target, "in flight");
        Http.Response queued = agents.a2a(target, send("survivor", "msg-survivor"));
        assertQueued(queued, 1);

        platform.close();
        first.handle((r, e) -> null).join(); // the caller of the interrupted call got an answer or a closed socket
        model.openGate();
        platform = TestPlatform.restarted(platform, "ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded");
        agents = new Agents(platform, ADMIN);

        agents.awaitStatus(target, "online");
        await().atMost(Duration.ofSeconds(20)).until(() -> receivedTexts(target).contains("survivor"));
        assertThat(model.received().stream().filter("survivor"::equals)).as("delivered once").hasSize(1);
        String state = platform.platform().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT status FROM a2a_queue WHERE idempotency_key = 'msg-survivor'").mapTo(String.class).one());
        assertThat(state).isEqualTo("completed");
    }

    @Test
    void dropStaleValidatesItsAge() {
        Http http = platform.http();
        for (String bad : List.of("0", "-5", "abc")) {
            Http.Response r = http.post("/admin/a2a-queue/drop-stale?max_age_minutes=" + bad, null, agents.admin());
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("max_age_minutes must be a positive integer");
        }
        String target = busyTarget("Stale");
        CompletableFuture<Http.Response> first = occupy(target, "hold");
        assertQueued(agents.a2a(target, send("young")), 1);
        Http.Response young = http.post("/admin/a2a-queue/drop-stale?max_age_minutes=1", null, agents.admin());
        assertThat(young.json().get("dropped").asInt()).as("a fresh message is not stale").isZero();
        platform.platform().database().jdbi().useHandle(h ->
                h.execute("UPDATE a2a_queue SET enqueued_at = now() - interval '2 hours' WHERE status = 'queued'"));
        Http.Response old = http.post("/admin/a2a-queue/drop-stale?workspace_id=" + target, null, agents.admin());
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.json().get("dropped").asInt()).as("default age 60 minutes").isEqualTo(1);
        assertThat(http.post("/admin/a2a-queue/drop-stale", null).status()).as("admin only").isEqualTo(401);
        model.openGate();
        first.join();
        assertThat(model.received()).containsExactly("hold");
    }
}
