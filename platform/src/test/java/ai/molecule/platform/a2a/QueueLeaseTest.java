package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.FakeAgent;
import ai.molecule.platform.testkit.TestPlatform;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deliveries a crashed instance left behind: a queue row whose lease ran out goes back in
 * line and is delivered once more (same message id), a row already redelivered once fails
 * instead, and the capacity slots of an instance that went silent are given back.
 */
class QueueLeaseTest {
    TestPlatform platform;
    FakeAgent agent;
    Jdbi jdbi;
    String id;

    @BeforeEach
    void start() {
        platform = TestPlatform.start("MOLECULE_ENV", "development", "MOLECULE_PROVISIONER", "none", "A2A_LEASE_SECONDS", "3");
        agent = new FakeAgent();
        jdbi = platform.platform().database().jdbi();
        id = platform.createWorkspace("{\"name\":\"Worker\",\"external\":true,\"url\":\"" + agent.url()
                + "\",\"max_concurrent_tasks\":1}");
    }

    @AfterEach
    void stop() {
        platform.close();
        agent.close();
    }

    private void leftDispatched(String messageId, int redeliveries) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO a2a_queue (workspace_id, body, method, idempotency_key, status, dispatched_at,
                          dispatched_by, lease_until, attempts, redeliveries)
                        VALUES (:ws, CAST(:body AS jsonb), 'message/send', :key, 'dispatched', now() - interval '1 minute',
                          'crashed-instance', now() - interval '1 second', 1, :redeliveries)""")
                .bind("ws", UUID.fromString(id)).bind("key", messageId).bind("redeliveries", redeliveries)
                .bind("body", "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"message/send\",\"params\":{\"message\":"
                        + "{\"role\":\"user\",\"messageId\":\"" + messageId + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}]}}}")
                .execute());
    }

    private String status(String messageId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM a2a_queue WHERE idempotency_key = :k")
                .bind("k", messageId).mapTo(String.class).one());
    }

    @Test
    void anExpiredLeaseIsDeliveredOnceMoreThenGivenUp() {
        leftDispatched("lease-once", 0);
        leftDispatched("lease-twice", 1);

        await().atMost(Duration.ofSeconds(15)).until(() -> status("lease-once").equals("completed"));
        assertThat(agent.messageIds()).containsOnlyOnce("lease-once");
        await().atMost(Duration.ofSeconds(5)).until(() -> status("lease-twice").equals("failed"));
        assertThat(agent.messageIds()).doesNotContain("lease-twice");
        String error = jdbi.withHandle(h -> h.createQuery("SELECT last_error FROM a2a_queue WHERE idempotency_key = 'lease-twice'")
                .mapTo(String.class).one());
        assertThat(error).contains("delivery interrupted");
    }

    @Test
    void slotsOfASilentInstanceAreGivenBack() {
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO platform_instances (instance_id, last_seen_at) VALUES ('ghost', now() - interval '10 minutes')");
            h.createUpdate("INSERT INTO a2a_slots (workspace_id, slot_no, holder, taken_at) VALUES (:ws, 0, 'ghost', now())")
                    .bind("ws", UUID.fromString(id)).execute();
        });
        var r = platform.http().post("/workspaces/" + id + "/a2a", send("after the ghost", "after-ghost"));
        assertThat(r.status()).as("the ghost holds the only slot").isEqualTo(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> agent.messageIds().contains("after-ghost"));
        int ghosts = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM platform_instances WHERE instance_id = 'ghost'")
                .mapTo(Integer.class).one());
        assertThat(ghosts).as("the silent instance is forgotten").isZero();
    }

    @Test
    void ownLeftoversAreReleasedAtTheNextStart() {
        String me = jdbi.withHandle(h -> h.createQuery("SELECT instance_id FROM platform_instances LIMIT 1").mapTo(String.class).one());
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO a2a_slots (workspace_id, slot_no, holder, taken_at) VALUES (:ws, 0, :me, now())")
                .bind("ws", UUID.fromString(id)).bind("me", me).execute());
        platform.close();
        platform = TestPlatform.restarted(platform, "MOLECULE_ENV", "development", "MOLECULE_PROVISIONER", "none");
        jdbi = platform.platform().database().jdbi();
        var r = platform.http().post("/workspaces/" + id + "/a2a", send("after restart", "after-restart"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
}
