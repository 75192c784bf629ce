package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.FakeAgent;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * max_concurrent_tasks is one atomic step in PostgreSQL: forty messages sent at once through
 * two platform instances to a workspace limited to one task reach its agent one at a time,
 * the rest wait in the durable queue, and each is delivered exactly once.
 */
class CapacityAcrossInstancesTest {
    private static final int MESSAGES = 40;

    @Test
    void oneSlotIsOneSlotAcrossInstances() throws Exception {
        try (TestPlatform a = TestPlatform.start("MOLECULE_ENV", "development", "MOLECULE_PROVISIONER", "none");
             TestPlatform b = TestPlatform.sharing(a, "MOLECULE_ENV", "development", "MOLECULE_PROVISIONER", "none");
             FakeAgent agent = new FakeAgent();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            String id = a.createWorkspace("{\"name\":\"Solo\",\"external\":true,\"url\":\"" + agent.url()
                    + "\",\"max_concurrent_tasks\":1}");
            agent.hold();
            List<CompletableFuture<Http.Response>> sent = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                Http http = (i % 2 == 0 ? a : b).http();
                String body = send("task " + i, "cap-" + i);
                sent.add(CompletableFuture.supplyAsync(() -> http.post("/workspaces/" + id + "/a2a", body), pool));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream().filter(CompletableFuture::isDone).count() == MESSAGES - 1);
            assertThat(agent.inFlight()).isEqualTo(1);
            assertThat(sent.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).map(Http.Response::status))
                    .as("everyone but the one being handled was queued").containsOnly(202);

            agent.open();
            String heartbeat = "{\"workspace_id\":\"" + id + "\",\"active_tasks\":0}";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                a.http().post("/registry/heartbeat", heartbeat); // capacity reported: both instances drain
                b.http().post("/registry/heartbeat", heartbeat);
                return agent.messageIds().size() >= MESSAGES;
            });
            assertThat(agent.maxInFlight()).as("never two at once").isEqualTo(1);
            assertThat(agent.messageIds()).hasSize(MESSAGES);
            assertThat(new HashSet<>(agent.messageIds())).as("each delivered once").hasSize(MESSAGES);
            assertThat(sent.stream().map(CompletableFuture::join).filter(r -> r.status() == 200)).as("the first one answered").hasSize(1);
        }
    }
}
