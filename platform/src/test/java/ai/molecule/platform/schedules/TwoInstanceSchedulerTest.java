package ai.molecule.platform.schedules;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.TestPlatform;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two platform instances on one database, both running the scheduler loop every 100 ms while
 * the test also races their {@link Scheduler#runDue} from several threads: every due schedule
 * fires exactly once (one history row, one message at the agent), and each advances once.
 */
class TwoInstanceSchedulerTest {
    private static final String ADMIN = "two-instance-scheduler-admin";
    // development: instance b reaches the agent embedded in a at a loopback /agents/<id> URL
    private static final String[] ENV = {"ADMIN_TOKEN", ADMIN, "MOLECULE_ENV", "development", "SCHEDULER_INTERVAL_MS", "100",
            "SCHEDULER_BUSY_WAIT_SECONDS", "0"};
    private static final int SCHEDULES = 30;

    static TestPlatform a, b;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        a = TestPlatform.start(ENV[0], ENV[1], ENV[2], ENV[3], ENV[4], ENV[5], ENV[6], ENV[7], "MOLECULE_PROVISIONER", "embedded");
        b = TestPlatform.sharing(a, ENV);
        jdbi = a.platform().database().jdbi();
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void eachDueScheduleFiresOnceAcrossInstances() {
        Agents agents = new Agents(a, ADMIN);
        String ws = agents.online("{\"name\":\"Shared\",\"model\":\"scripted\",\"max_concurrent_tasks\":" + (SCHEDULES + 5) + "}");
        for (int i = 0; i < SCHEDULES; i++) {
            var r = a.http().post("/workspaces/" + ws + "/schedules",
                    "{\"name\":\"s" + i + "\",\"cron_expr\":\"0 0 1 1 *\",\"prompt\":\"tick " + i + "\"}", agents.admin());
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        Instant now = Instant.now();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<List<CompletableFuture<String>>>> racers = new ArrayList<>();
        for (TestPlatform p : List.of(a, b, a, b)) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                awaitLatch(go);
                return p.platform().scheduler().runDue(now);
            }));
        }
        // make every schedule due at once: the loops of both instances and the four racers compete for them
        jdbi.useHandle(h -> h.execute("UPDATE workspace_schedules SET next_run_at = now() - interval '1 minute'"));
        go.countDown();
        racers.forEach(r -> r.join().forEach(CompletableFuture::join));

        await().atMost(Duration.ofSeconds(15)).until(() -> cronRuns().size() == SCHEDULES);
        // and it stays so through several more loop rounds on both instances
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                .until(() -> cronRuns().size() == SCHEDULES && cronRuns().values().stream().allMatch(n -> n == 1L));
        long advancedOnce = jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM workspace_schedules
                        WHERE run_count = 1 AND last_status = 'ok' AND next_run_at > now() + interval '1 day'""")
                .mapTo(Long.class).one());
        assertThat(advancedOnce).isEqualTo((long) SCHEDULES);
        List<String> delivered = agents.activity(ws, "a2a_receive").stream()
                .map(x -> x.at("/request_body/params/message/parts/0/text").asText()).filter(t -> t.startsWith("tick ")).toList();
        assertThat(delivered).hasSize(SCHEDULES)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, SCHEDULES).mapToObj(i -> "tick " + i).toList());
        assertThat(a.http().get("/admin/liveness", agents.admin()).json().at("/subsystems/scheduler").isObject())
                .as("the loop ticks its subsystem").isTrue();
    }

    private static Map<String, Long> cronRuns() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT request_body ->> 'schedule_id' AS id, count(*) AS n FROM activity_logs
                        WHERE activity_type = 'cron_run' GROUP BY 1""")
                .reduceRows(new java.util.HashMap<String, Long>(), (m, row) -> {
                    m.put(row.getColumn("id", String.class), row.getColumn("n", Long.class));
                    return m;
                }));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
