package ai.molecule.platform.schedules;

import ai.molecule.platform.a2a.A2aProxy;
import ai.molecule.platform.a2a.JsonRpc;
import ai.molecule.platform.a2a.ProxyResult;
import ai.molecule.platform.activity.ActivityService;
import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fires due schedules (spec §1.10 "Scheduler loop", agent-side §3.7). Every instance runs it;
 * a due row is claimed and its {@code next_run_at} advanced in one transaction that locks it
 * with {@code FOR UPDATE SKIP LOCKED}, so with several instances each run fires once. A row
 * that was due long ago (the platform was down) fires once and moves to its next future time.
 * Each fire is an A2A {@code message/send} through {@link A2aProxy#forward} as the canvas
 * would send it; a workspace still at capacity after {@code busyWait} gets a {@code skipped} run.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    static final int BATCH = 50;
    static final int CONCURRENCY = 10;
    static final int STALE_AFTER_EMPTY_RUNS = 3;
    private static final Duration FIRE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration BUSY_POLL = Duration.ofSeconds(10);

    private final Jdbi jdbi;
    private final A2aProxy proxy;
    private final ActivityService activity;
    private final EventBus events;
    private final Clock clock;
    private final Duration busyWait;
    private final ExecutorService fires = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots = new Semaphore(CONCURRENCY);

    public Scheduler(Jdbi jdbi, A2aProxy proxy, ActivityService activity, EventBus events, Clock clock, Duration busyWait) {
        this.jdbi = jdbi;
        this.proxy = proxy;
        this.activity = activity;
        this.events = events;
        this.clock = clock;
        this.busyWait = busyWait;
    }

    /** One round of the loop at the clock's time. */
    public void tick() {
        runDue(clock.instant());
    }

    /**
     * Claims up to {@value #BATCH} schedules due at {@code now}, advances each to its next time
     * after {@code now}, and fires them ({@value #CONCURRENCY} at a time); the futures complete
     * with each fire's status once it is recorded.
     */
    public List<CompletableFuture<String>> runDue(Instant now) {
        List<Claimed> claimed = jdbi.inTransaction(h -> claim(h, now));
        List<CompletableFuture<String>> out = new ArrayList<>();
        for (Claimed c : claimed) {
            out.add(c.nativeScheduler()
                    ? CompletableFuture.completedFuture("native") // the runtime schedules itself: only advanced
                    : CompletableFuture.supplyAsync(() -> fire(c.schedule(), now), fires));
        }
        return out;
    }

    /** Run-now: fires the schedule at once, outside its cron; its next_run_at stays as it is. */
    CompletableFuture<String> fireNow(Schedule s) {
        Instant now = clock.instant();
        return CompletableFuture.supplyAsync(() -> fire(s, now), fires);
    }

    /** At start-up: enabled rows without a next run (imported, or written by hand) get one. */
    public void repairNextRuns() {
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            List<Schedule> broken = h.createQuery("""
                            SELECT * FROM workspace_schedules WHERE enabled AND next_run_at IS NULL FOR UPDATE SKIP LOCKED""")
                    .map((rs, c) -> Schedule.map(rs)).list();
            advance(h, broken, now);
        });
    }

    private record Claimed(Schedule schedule, boolean nativeScheduler) {
    }

    private List<Claimed> claim(Handle h, Instant now) {
        List<Claimed> due = h.createQuery("""
                        SELECT s.*, coalesce(w.runtime_metadata -> 'capabilities' -> 'scheduler' = 'true'::jsonb, false) AS native
                        FROM workspace_schedules s JOIN workspaces w ON w.id = s.workspace_id
                        WHERE s.enabled AND s.next_run_at <= :now AND w.status <> 'removed'
                        ORDER BY s.next_run_at, s.id LIMIT :batch
                        FOR UPDATE OF s SKIP LOCKED""")
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("batch", BATCH)
                .map((rs, c) -> new Claimed(Schedule.map(rs), rs.getBoolean("native"))).list();
        advance(h, due.stream().map(Claimed::schedule).toList(), now);
        return due;
    }

    /** Moves each row to its first time after {@code now}: a backlog of missed runs collapses into the one being fired. */
    private static void advance(Handle h, List<Schedule> rows, Instant now) {
        if (rows.isEmpty()) return;
        var batch = h.prepareBatch("UPDATE workspace_schedules SET next_run_at = :next WHERE id = :id");
        for (Schedule s : rows) {
            Instant next = s.timing().next(now).orElse(null); // never again (30 Feb): no next run
            batch.bind("next", next == null ? null : next.atOffset(ZoneOffset.UTC)).bind("id", s.id()).add();
        }
        batch.execute();
    }

    private String fire(Schedule s, Instant firedAt) {
        slots.acquireUninterruptibly();
        try {
            String busy = awaitCapacity(s.workspaceId());
            if (busy != null) {
                recordSkipped(s, busy);
                return "skipped";
            }
            long start = System.nanoTime();
            Outcome o = send(s);
            record(s, o, firedAt, (int) ((System.nanoTime() - start) / 1_000_000));
            return o.status();
        } catch (RuntimeException e) {
            log.warn("schedule {} ({}) could not be recorded: {}", s.id(), s.name(), e.toString());
            return "error";
        } finally {
            slots.release();
        }
    }

    /** Null when the workspace has a free slot (now or within {@code busyWait}); else why it is busy. */
    private String awaitCapacity(UUID workspace) {
        long deadline = System.nanoTime() + busyWait.toNanos();
        while (true) {
            int[] load = jdbi.withHandle(h -> h.createQuery(
                            "SELECT active_tasks, greatest(max_concurrent_tasks, 1) FROM workspaces WHERE id = :ws").bind("ws", workspace)
                    .map((rs, c) -> new int[]{rs.getInt(1), rs.getInt(2)}).findOne().orElse(new int[]{0, 1}));
            load[0] = Math.max(load[0], proxy.inFlight(workspace));
            if (load[0] < load[1]) return null;
            long left = deadline - System.nanoTime();
            if (left <= 0) return "workspace busy: " + load[0] + " of " + load[1] + " tasks running";
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, BUSY_POLL.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "scheduler stopping";
            }
        }
    }

    private record Outcome(String status, String error, String reply) {
        boolean empty() {
            return status.equals("ok") && (reply == null || reply.isBlank());
        }
    }

    private Outcome send(Schedule s) {
        String messageId = "cron-" + s.id().toString().substring(0, 8) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        ObjectNode rpc = JsonRpc.textMessage(UUID.randomUUID().toString(), messageId, s.prompt());
        try {
            return switch (proxy.forward(s.workspaceId(), null, rpc, FIRE_TIMEOUT, null)) {
                case ProxyResult.Replied r -> replied(r.body());
                // capacity went between our check and the send: the proxy queued it and delivers it later
                case ProxyResult.Queued q -> new Outcome("queued", null, null);
                case ProxyResult.AwaitingPoll p -> new Outcome("queued", null, null);
            };
        } catch (ApiError e) {
            return new Outcome("error", e.getMessage(), null);
        } catch (RuntimeException e) {
            return new Outcome("error", e.toString(), null);
        }
    }

    private static Outcome replied(String body) {
        JsonNode error = Json.parse(body).path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            return new Outcome("error", error.path("message").asText(error.toString()), null);
        }
        return new Outcome("ok", null, JsonRpc.replyText(body));
    }

    private void record(Schedule s, Outcome o, Instant firedAt, int durationMs) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE workspace_schedules SET last_run_at = :at, run_count = run_count + 1,
                          consecutive_empty_runs = CASE WHEN :empty THEN consecutive_empty_runs + 1 ELSE 0 END,
                          last_status = CASE WHEN :empty AND consecutive_empty_runs + 1 >= :staleAfter THEN 'stale' ELSE :status END,
                          last_error = coalesce(:error, ''), updated_at = now()
                        WHERE id = :id""")
                .bind("at", firedAt.atOffset(ZoneOffset.UTC)).bind("empty", o.empty()).bind("staleAfter", STALE_AFTER_EMPTY_RUNS)
                .bind("status", o.status()).bind("error", o.error()).bind("id", s.id()).execute());
        logRun(s, o.status(), o.error(), durationMs, o.reply());
        events.emit("CRON_EXECUTED", s.workspaceId(), JsonMap.of("schedule_id", s.id().toString(),
                "schedule_name", s.name(), "status", o.status()));
    }

    private void recordSkipped(Schedule s, String reason) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE workspace_schedules SET last_status = 'skipped', last_error = :reason, updated_at = now() WHERE id = :id""")
                .bind("reason", reason).bind("id", s.id()).execute());
        logRun(s, "skipped", reason, 0, null);
        events.emit("CRON_SKIPPED", s.workspaceId(), JsonMap.of("schedule_id", s.id().toString(),
                "schedule_name", s.name(), "reason", reason));
    }

    /** The run's {@code cron_run} activity row, which the history route reads (a raw insert, no event, as upstream). */
    private void logRun(Schedule s, String status, String error, int durationMs, String reply) {
        String prompt = s.prompt().length() > 200 ? s.prompt().substring(0, 200) : s.prompt();
        JsonNode request = Json.MAPPER.valueToTree(JsonMap.of("schedule_id", s.id().toString(), "schedule_name", s.name(),
                "cron_expr", s.cronExpr(), "prompt", prompt));
        JsonNode response = reply == null ? null : Json.MAPPER.valueToTree(JsonMap.of("text", reply));
        activity.insert(new ActivityService.Entry(s.workspaceId(), "cron_run", null, s.workspaceId(), "message/send",
                "Cron: " + (s.name().isEmpty() ? s.cronExpr() : s.name()), request, response, null, durationMs, status, error));
    }

    @Override
    public void close() {
        fires.shutdownNow();
    }
}
