package ai.molecule.platform.schedules;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Cron schedules of a workspace (spec §1.10): create, list, change, delete, their run history
 * (the {@code cron_run} activity rows) and health. {@code next_run_at} is computed here, in the
 * schedule's zone, from the injected clock; the {@link Scheduler} fires and advances it.
 */
public final class ScheduleService {
    static final String NOT_FOUND = "schedule not found";

    private final Jdbi jdbi;
    private final Clock clock;

    public ScheduleService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Fields of a create or a patch; null = not given (a patch leaves it as it is). */
    public record Fields(String name, String cronExpr, String timezone, String prompt, Boolean enabled) {
    }

    public record Created(UUID id, Instant nextRunAt) {
    }

    public Created create(UUID workspace, Fields f) {
        ScheduleTiming timing = ScheduleTiming.of(f.cronExpr(), f.timezone(), clock.instant());
        Instant next = timing.next(clock.instant()).orElseThrow();
        return jdbi.inTransaction(h -> {
            boolean exists = h.createQuery("SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = :ws AND status <> 'removed')")
                    .bind("ws", workspace).mapTo(Boolean.class).one();
            if (!exists) throw ApiError.notFound("workspace not found");
            Optional<UUID> id = h.createQuery("""
                            INSERT INTO workspace_schedules (workspace_id, name, cron_expr, timezone, prompt, enabled, next_run_at)
                            VALUES (:ws, :name, :cron, :tz, :prompt, :enabled, :next)
                            ON CONFLICT (workspace_id, name) DO NOTHING RETURNING id""")
                    .bind("ws", workspace).bind("name", f.name()).bind("cron", f.cronExpr().trim()).bind("tz", f.timezone())
                    .bind("prompt", f.prompt()).bind("enabled", f.enabled()).bind("next", next.atOffset(ZoneOffset.UTC))
                    .mapTo(UUID.class).findOne();
            return new Created(id.orElseThrow(() -> duplicate(f.name())), next);
        });
    }

    private static ApiError duplicate(String name) {
        return new ApiError(409, "a schedule with this name already exists", Map.of("name", name));
    }

    public List<Map<String, Object>> list(UUID workspace) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM workspace_schedules WHERE workspace_id = :ws ORDER BY created_at, id")
                .bind("ws", workspace).map((rs, c) -> toJson(rs)).list());
    }

    /** Applies the given fields; the next run is recomputed when the cron, the zone or {@code enabled} changed. */
    public void update(UUID workspace, UUID id, Fields patch) {
        jdbi.useTransaction(h -> {
            Map<String, Object> row = h.createQuery("""
                            SELECT name, cron_expr, timezone, prompt, enabled FROM workspace_schedules
                            WHERE id = :id AND workspace_id = :ws FOR UPDATE""")
                    .bind("id", id).bind("ws", workspace).mapToMap().findOne()
                    .orElseThrow(() -> ApiError.notFound(NOT_FOUND));
            String cron = patch.cronExpr() != null ? patch.cronExpr().trim() : (String) row.get("cron_expr");
            String tz = patch.timezone() != null ? patch.timezone() : (String) row.get("timezone");
            boolean enabled = patch.enabled() != null ? patch.enabled() : (Boolean) row.get("enabled");
            boolean retime = patch.cronExpr() != null || patch.timezone() != null
                    || (enabled && !((Boolean) row.get("enabled")));
            Instant next = retime ? ScheduleTiming.of(cron, tz, clock.instant()).next(clock.instant()).orElseThrow() : null;
            String name = patch.name() != null ? patch.name() : (String) row.get("name");
            if (!name.equals(row.get("name")) && h.createQuery(
                            "SELECT EXISTS (SELECT 1 FROM workspace_schedules WHERE workspace_id = :ws AND name = :name)")
                    .bind("ws", workspace).bind("name", name).mapTo(Boolean.class).one()) {
                throw duplicate(name);
            }
            h.createUpdate("""
                            UPDATE workspace_schedules SET name = :name, cron_expr = :cron, timezone = :tz,
                              prompt = :prompt, enabled = :enabled, next_run_at = coalesce(:next, next_run_at), updated_at = now()
                            WHERE id = :id""")
                    .bind("name", name).bind("cron", cron).bind("tz", tz)
                    .bind("prompt", patch.prompt() != null ? patch.prompt() : (String) row.get("prompt"))
                    .bind("enabled", enabled).bind("next", next == null ? null : next.atOffset(ZoneOffset.UTC))
                    .bind("id", id).execute();
        });
    }

    public void delete(UUID workspace, UUID id) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM workspace_schedules WHERE id = :id AND workspace_id = :ws")
                .bind("id", id).bind("ws", workspace).execute());
        if (n == 0) throw ApiError.notFound(NOT_FOUND);
    }

    /** One schedule of the workspace; 404 when it is not this workspace's. */
    Schedule find(UUID workspace, UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM workspace_schedules WHERE id = :id AND workspace_id = :ws")
                .bind("id", id).bind("ws", workspace).map((rs, c) -> Schedule.map(rs)).findOne()
                .orElseThrow(() -> ApiError.notFound(NOT_FOUND)));
    }

    /** The 20 newest {@code cron_run} rows of one schedule. */
    public List<Map<String, Object>> history(UUID workspace, UUID id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT created_at, duration_ms, status, error_detail, request_body::text AS request
                        FROM activity_logs
                        WHERE workspace_id = :ws AND activity_type = 'cron_run' AND request_body ->> 'schedule_id' = :id
                        ORDER BY created_at DESC, id DESC LIMIT 20""")
                .bind("ws", workspace).bind("id", id.toString())
                .map((rs, c) -> JsonMap.of("timestamp", rs.getObject("created_at", OffsetDateTime.class),
                        "duration_ms", rs.getObject("duration_ms") == null ? null : rs.getInt("duration_ms"),
                        "status", rs.getString("status"), "error_detail", rs.getString("error_detail"),
                        "request", rs.getString("request") == null ? null : Json.parse(rs.getString("request"))))
                .list());
    }

    /** GET /workspaces/:id/schedules/health. */
    public List<Map<String, Object>> health(UUID workspace) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, enabled, last_run_at, next_run_at, run_count, last_status, last_error
                        FROM workspace_schedules WHERE workspace_id = :ws ORDER BY created_at, id""")
                .bind("ws", workspace)
                .map((rs, c) -> JsonMap.of("id", rs.getString("id"), "name", rs.getString("name"),
                        "enabled", rs.getBoolean("enabled"), "last_run_at", rs.getObject("last_run_at", OffsetDateTime.class),
                        "next_run_at", rs.getObject("next_run_at", OffsetDateTime.class), "run_count", rs.getInt("run_count"),
                        "last_status", rs.getString("last_status"), "last_error", rs.getString("last_error")))
                .list());
    }

    /**
     * GET /admin/schedules/health: every enabled schedule of a live workspace; {@code stale} when
     * its last run is older than twice the gap between its fires, {@code never_run} before the first.
     */
    public List<Map<String, Object>> adminHealth() {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.*, w.name AS workspace_name FROM workspace_schedules s JOIN workspaces w ON w.id = s.workspace_id
                        WHERE s.enabled AND w.status <> 'removed' ORDER BY w.name, s.created_at, s.id""")
                .map((rs, c) -> {
                    Schedule s = Schedule.map(rs);
                    Instant last = s.lastRunAt() == null ? null : s.lastRunAt().toInstant();
                    Duration threshold = s.timing().interval(last == null ? now : last).multipliedBy(2);
                    String status = last == null ? "never_run"
                            : Duration.between(last, now).compareTo(threshold) > 0 ? "stale" : "ok";
                    return JsonMap.of("workspace_id", s.workspaceId().toString(), "workspace_name", rs.getString("workspace_name"),
                            "schedule_id", s.id().toString(), "schedule_name", s.name(), "cron_expr", s.cronExpr(),
                            "last_run_at", s.lastRunAt(), "expected_next_run", rs.getObject("next_run_at", OffsetDateTime.class),
                            "status", status, "stale_threshold_seconds", threshold.toSeconds());
                })
                .list());
    }

    private static Map<String, Object> toJson(ResultSet rs) throws SQLException {
        return JsonMap.of("id", rs.getString("id"), "workspace_id", rs.getString("workspace_id"), "name", rs.getString("name"),
                "cron_expr", rs.getString("cron_expr"), "timezone", rs.getString("timezone"), "prompt", rs.getString("prompt"),
                "enabled", rs.getBoolean("enabled"), "last_run_at", rs.getObject("last_run_at", OffsetDateTime.class),
                "next_run_at", rs.getObject("next_run_at", OffsetDateTime.class), "run_count", rs.getInt("run_count"),
                "last_status", rs.getString("last_status"), "last_error", rs.getString("last_error"),
                "source", rs.getString("source"), "created_at", rs.getObject("created_at", OffsetDateTime.class),
                "updated_at", rs.getObject("updated_at", OffsetDateTime.class));
    }
}
