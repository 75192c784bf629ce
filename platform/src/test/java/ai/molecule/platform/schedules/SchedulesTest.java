package ai.molecule.platform.schedules;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.GatedModel;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static ai.molecule.platform.testkit.Agents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schedules (spec §1.10) against real embedded runtimes: validation, CRUD, fires through the
 * A2A proxy, a skipped run when the workspace is busy, run-now, missed runs, the runtime's own
 * scheduler, and both health reports. The loop is slowed to an hour; the test drives
 * {@link Scheduler#runDue} at chosen instants instead of waiting for the clock.
 */
class SchedulesTest {
    private static final String ADMIN = "schedules-admin";
    private static final String YEARLY = "0 0 1 1 *"; // never due by the wall clock while the test runs

    static TestPlatform platform;
    static Agents agents;
    static Http http;
    static Jdbi jdbi;
    static GatedModel model;
    static String echo;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded",
                "SCHEDULER_INTERVAL_MS", "3600000", "SCHEDULER_BUSY_WAIT_SECONDS", "0");
        agents = new Agents(platform, ADMIN);
        http = platform.http();
        jdbi = platform.platform().database().jdbi();
        model = new GatedModel();
        echo = agents.online("{\"name\":\"Cron Echo\",\"model\":\"scripted\"}");
    }

    /** runDue is global: every test starts without the schedules of the others. */
    @BeforeEach
    void clean() {
        jdbi.useHandle(h -> h.execute("DELETE FROM workspace_schedules"));
    }

    @AfterAll
    static void stop() {
        platform.close();
        model.close();
    }

    private static Http.Response create(String ws, String json) {
        return http.post("/workspaces/" + ws + "/schedules", json, agents.admin());
    }

    private static String createOk(String ws, String json) {
        Http.Response r = create(ws, json);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static JsonNode schedule(String ws, String id) {
        for (JsonNode s : http.get("/workspaces/" + ws + "/schedules", agents.admin()).json()) {
            if (s.get("id").asText().equals(id)) return s;
        }
        throw new AssertionError("schedule " + id + " not listed");
    }

    private static Instant nextRun(String ws, String id) {
        return OffsetDateTime.parse(schedule(ws, id).get("next_run_at").asText()).toInstant();
    }

    private static List<JsonNode> history(String ws, String id) {
        Http.Response r = http.get("/workspaces/" + ws + "/schedules/" + id + "/history", agents.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> rows = new java.util.ArrayList<>();
        r.json().forEach(rows::add);
        return rows;
    }

    private static long events(String type, String scheduleId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM structure_events WHERE event_type = :t AND payload ->> 'schedule_id' = :id")
                .bind("t", type).bind("id", scheduleId).mapTo(Long.class).one());
    }

    private static List<String> fire(Instant at) {
        return platform.platform().scheduler().runDue(at).stream().map(CompletableFuture::join).toList();
    }

    @Test
    void invalidSchedulesAreRejectedWithTheSpecsMessages() {
        assertThat(create(echo, "{\"prompt\":\"x\"}").json().get("error").asText()).isEqualTo("cron_expr and prompt are required");
        assertThat(create(echo, "{\"cron_expr\":\"* * * * *\",\"prompt\":\"\"}").status()).isEqualTo(400);
        Http.Response badCron = create(echo, "{\"cron_expr\":\"61 * * * *\",\"prompt\":\"x\"}");
        assertThat(badCron.status()).isEqualTo(400);
        assertThat(badCron.json().get("error").asText()).isEqualTo("invalid request body");
        assertThat(badCron.json().get("detail").asText()).isEqualTo("cron_expr: minute field '61': value 61 out of range 0-59");
        assertThat(create(echo, "{\"cron_expr\":\"0 0 30 2 *\",\"prompt\":\"x\"}").json().get("detail").asText())
                .isEqualTo("cron_expr: it never fires");
        Http.Response badZone = create(echo, "{\"cron_expr\":\"* * * * *\",\"prompt\":\"x\",\"timezone\":\"Mars/Olympus\"}");
        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badZone.json().get("error").asText()).isEqualTo("invalid timezone: Mars/Olympus");
        assertThat(create(echo, "{\"cron_expr\":\"* * * * *\",\"prompt\":\"x\",\"enabled\":\"yes\"}").json().get("error").asText())
                .isEqualTo("invalid request body");
        assertThat(create(echo, "not json").status()).isEqualTo(400);
        assertThat(http.post("/workspaces/" + echo + "/schedules", "{\"cron_expr\":\"* * * * *\",\"prompt\":\"x\"}").status())
                .as("WorkspaceAuth").isEqualTo(401);
    }

    @Test
    void createListPatchAndDelete() {
        Http.Response r = create(echo, "{\"name\":\"morning\",\"cron_expr\":\"0 9 * * mon-fri\",\"timezone\":\"Asia/Tokyo\","
                + "\"prompt\":\"good\\r\\nmorning\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("created");
        String id = r.json().get("id").asText();
        Instant expected = CronExpression.parse("0 9 * * mon-fri").next(Instant.now().minusSeconds(60), ZoneId.of("Asia/Tokyo")).orElseThrow();
        Instant created = OffsetDateTime.parse(r.json().get("next_run_at").asText()).toInstant();
        assertThat(created).isAfter(Instant.now().minusSeconds(1)).isBetween(expected, expected.plus(Duration.ofDays(3)));
        assertThat(created.atZone(ZoneId.of("Asia/Tokyo")).getHour()).isEqualTo(9);

        JsonNode s = schedule(echo, id);
        assertThat(s.get("prompt").asText()).as("CR stripped").isEqualTo("good\nmorning");
        assertThat(s.get("enabled").asBoolean()).isTrue();
        assertThat(s.get("source").asText()).isEqualTo("runtime");
        assertThat(s.get("run_count").asInt()).isZero();
        assertThat(s.get("last_run_at").isNull()).isTrue();

        Http.Response dup = create(echo, "{\"name\":\"morning\",\"cron_expr\":\"* * * * *\",\"prompt\":\"x\"}");
        assertThat(dup.status()).isEqualTo(409);

        String path = "/workspaces/" + echo + "/schedules/" + id;
        assertThat(http.patch(path, "{\"timezone\":\"Europe/London\",\"prompt\":\"later\"}", agents.admin()).json()
                .get("status").asText()).isEqualTo("updated");
        assertThat(nextRun(echo, id).atZone(ZoneId.of("Europe/London")).getHour()).as("recomputed in the new zone").isEqualTo(9);
        assertThat(schedule(echo, id).get("prompt").asText()).isEqualTo("later");
        assertThat(http.patch(path, "{\"cron_expr\":\"nope\"}", agents.admin()).status()).isEqualTo(400);
        assertThat(http.patch("/workspaces/" + echo + "/schedules/" + java.util.UUID.randomUUID(), "{\"enabled\":false}",
                agents.admin()).json().get("error").asText()).isEqualTo("schedule not found");

        assertThat(http.delete(path, agents.admin()).json().get("status").asText()).isEqualTo("deleted");
        assertThat(http.delete(path, agents.admin()).status()).isEqualTo(404);
        assertThat(http.delete("/workspaces/" + echo + "/schedules/not-a-uuid", agents.admin()).status()).isEqualTo(404);
    }

    @Test
    void aDueScheduleFiresItsPromptThroughTheProxyOnce() {
        String id = createOk(echo, "{\"name\":\"fires\",\"cron_expr\":\"" + YEARLY + "\",\"prompt\":\"write the yearly report\"}");
        Instant due = nextRun(echo, id);

        assertThat(fire(due.minusSeconds(60))).as("not due yet").isEmpty();
        assertThat(fire(due)).containsExactly("ok");
        assertThat(fire(due)).as("already advanced").isEmpty();

        JsonNode s = schedule(echo, id);
        assertThat(s.get("run_count").asInt()).isEqualTo(1);
        assertThat(s.get("last_status").asText()).isEqualTo("ok");
        assertThat(nextRun(echo, id)).isEqualTo(due.atZone(ZoneId.of("UTC")).plusYears(1).toInstant());
        List<JsonNode> runs = history(echo, id);
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("ok");
        assertThat(runs.get(0).at("/request/prompt").asText()).isEqualTo("write the yearly report");
        assertThat(runs.get(0).at("/request/schedule_id").asText()).isEqualTo(id);
        assertThat(runs.get(0).get("error_detail").isNull()).isTrue();
        assertThat(events("CRON_EXECUTED", id)).isEqualTo(1);

        // the agent really got it, as a canvas-style message/send with a cron- message id
        await().atMost(Duration.ofSeconds(5)).until(() -> agents.activity(echo, "a2a_receive").stream()
                .anyMatch(a -> a.at("/request_body/params/message/parts/0/text").asText().equals("write the yearly report")));
        JsonNode received = agents.activity(echo, "a2a_receive").stream()
                .filter(a -> a.at("/request_body/params/message/parts/0/text").asText().equals("write the yearly report"))
                .findFirst().orElseThrow();
        assertThat(received.at("/request_body/params/message/messageId").asText()).matches("cron-" + id.substring(0, 8) + "-[0-9a-f]{8}");
        assertThat(received.get("source_id").isNull()).isTrue();
        assertThat(received.at("/response_body/result/parts/0/text").asText()).isEqualTo("echo: write the yearly report");
    }

    @Test
    void missedRunsWhileDownFireOnceThenMoveToTheNextFutureTime() {
        String id = createOk(echo, "{\"name\":\"hourly\",\"cron_expr\":\"0 * * * *\",\"prompt\":\"missed\"}");
        Instant now = Instant.now();
        jdbi.useHandle(h -> h.createUpdate("UPDATE workspace_schedules SET next_run_at = now() - interval '3 days' WHERE id = :id::uuid")
                .bind("id", id).execute());
        assertThat(fire(now)).containsExactly("ok");
        assertThat(history(echo, id)).as("72 missed hours fire once").hasSize(1);
        assertThat(nextRun(echo, id)).isEqualTo(now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)));
        http.delete("/workspaces/" + echo + "/schedules/" + id, agents.admin());
    }

    @Test
    void aBusyWorkspaceGetsASkippedRunAndTheScheduleAdvances() {
        String busy = agents.online("{\"name\":\"Cron Busy\",\"model\":\"openai-compatible:gated\",\"max_concurrent_tasks\":1,"
                + "\"secrets\":{\"OPENAI_COMPATIBLE_BASE_URL\":\"" + model.baseUrl() + "\"}}");
        String id = createOk(busy, "{\"name\":\"busy\",\"cron_expr\":\"" + YEARLY + "\",\"prompt\":\"cron while busy\"}");
        CompletableFuture<Http.Response> running = CompletableFuture.supplyAsync(() -> agents.a2a(busy, send("long task")));
        await().atMost(Duration.ofSeconds(10)).until(() -> model.received().contains("long task"));
        Instant due = nextRun(busy, id);

        assertThat(fire(due)).containsExactly("skipped");
        assertThat(nextRun(busy, id)).isAfter(due);
        JsonNode s = schedule(busy, id);
        assertThat(s.get("last_status").asText()).isEqualTo("skipped");
        assertThat(s.get("run_count").asInt()).isZero();
        List<JsonNode> runs = history(busy, id);
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("skipped");
        assertThat(runs.get(0).get("error_detail").asText()).isEqualTo("workspace busy: 1 of 1 tasks running");
        assertThat(events("CRON_SKIPPED", id)).isEqualTo(1);

        model.openGate();
        assertThat(running.join().status()).isEqualTo(200);
        assertThat(model.received()).as("the skipped prompt never reached the agent").containsExactly("long task");
    }

    @Test
    void runNowAnswersThePromptAndFiresOnlyWhenAsked() {
        String id = createOk(echo, "{\"name\":\"manual\",\"cron_expr\":\"" + YEARLY + "\",\"prompt\":\"by hand\"}");
        Instant next = nextRun(echo, id);
        String path = "/workspaces/" + echo + "/schedules/" + id + "/run";

        Http.Response r = http.post(path, "", agents.admin());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("fired");
        assertThat(r.json().get("workspace_id").asText()).isEqualTo(echo);
        assertThat(r.json().get("prompt").asText()).isEqualTo("by hand");
        assertThat(history(echo, id)).as("upstream: the canvas sends it").isEmpty();

        assertThat(http.post(path + "?fire=true", "", agents.admin()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> history(echo, id).size() == 1);
        assertThat(history(echo, id).get(0).get("status").asText()).isEqualTo("ok");
        assertThat(nextRun(echo, id)).as("run-now leaves the cron alone").isEqualTo(next);
        assertThat(http.post("/workspaces/" + echo + "/schedules/" + java.util.UUID.randomUUID() + "/run", "", agents.admin())
                .status()).isEqualTo(404);
    }

    @Test
    void aRuntimeWithItsOwnSchedulerIsOnlyAdvanced() {
        String own = agents.online("{\"name\":\"Own Scheduler\",\"model\":\"scripted\"}");
        String id = createOk(own, "{\"name\":\"native\",\"cron_expr\":\"" + YEARLY + "\",\"prompt\":\"not from us\"}");
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE workspaces SET runtime_metadata = '{"capabilities":{"scheduler":true}}' WHERE id = :id::uuid""")
                .bind("id", own).execute());
        Instant due = nextRun(own, id);
        assertThat(fire(due)).containsExactly("native");
        assertThat(nextRun(own, id)).isAfter(due);
        assertThat(history(own, id)).isEmpty();
    }

    @Test
    void healthReports() {
        String parent = agents.online("{\"name\":\"Cron Parent\",\"model\":\"scripted\"}");
        String child = agents.online("{\"name\":\"Cron Child\",\"model\":\"scripted\",\"parent_id\":\"" + parent + "\"}");
        String stranger = agents.online("{\"name\":\"Cron Stranger\",\"model\":\"scripted\",\"parent_id\":\"" + echo + "\"}");
        String id = createOk(child, "{\"name\":\"pulse\",\"cron_expr\":\"*/30 * * * *\",\"prompt\":\"pulse\"}");
        String path = "/workspaces/" + child + "/schedules/health";

        assertThat(http.get(path, agents.admin()).json().get("error").asText()).isEqualTo("X-Workspace-ID header required");
        assertThat(http.get(path, "X-Workspace-ID", parent).status()).as("the caller's own token is required").isEqualTo(401);
        Http.Response ok = http.get(path, "X-Workspace-ID", parent, "Authorization", Http.bearer(agents.token(parent)));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get(0).get("id").asText()).isEqualTo(id);
        assertThat(ok.json().get(0).get("name").asText()).isEqualTo("pulse");
        assertThat(ok.json().get(0).has("next_run_at")).isTrue();
        Http.Response cousin = http.get(path, "X-Workspace-ID", stranger, "Authorization", Http.bearer(agents.token(stranger)));
        assertThat(cousin.status()).isEqualTo(403);
        assertThat(cousin.json().get("error").asText()).isEqualTo("access denied");

        assertThat(adminStatus(id)).isEqualTo("never_run");
        jdbi.useHandle(h -> h.createUpdate("UPDATE workspace_schedules SET last_run_at = now() - interval '10 minutes' WHERE id = :id::uuid")
                .bind("id", id).execute());
        assertThat(adminStatus(id)).isEqualTo("ok");
        jdbi.useHandle(h -> h.createUpdate("UPDATE workspace_schedules SET last_run_at = now() - interval '61 minutes' WHERE id = :id::uuid")
                .bind("id", id).execute());
        assertThat(adminStatus(id)).as("older than twice the 30-minute interval").isEqualTo("stale");
        assertThat(http.get("/admin/schedules/health").status()).isEqualTo(401);
    }

    private static String adminStatus(String scheduleId) {
        for (JsonNode s : http.get("/admin/schedules/health", agents.admin()).json()) {
            if (s.get("schedule_id").asText().equals(scheduleId)) {
                assertThat(s.get("stale_threshold_seconds").asLong()).isEqualTo(3600);
                assertThat(s.get("workspace_name").asText()).isEqualTo("Cron Child");
                return s.get("status").asText();
            }
        }
        throw new AssertionError("not in admin health");
    }
}
