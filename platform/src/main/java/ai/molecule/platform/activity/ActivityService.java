package ai.molecule.platform.activity;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.db.WriteBehind;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The activity log (spec §1.5): every logged entry also goes out as ACTIVITY_LOGGED. */
public final class ActivityService {
    public static final List<String> TYPES =
            List.of("a2a_send", "a2a_receive", "task_update", "agent_log", "skill_promotion", "memory_write", "error");

    private final Jdbi jdbi;
    private final EventBus events;
    private final WriteBehind writes;
    private final WriteBehind.Lane<Row> behind;

    public ActivityService(Jdbi jdbi, EventBus events, WriteBehind writeBehind) {
        this.jdbi = jdbi;
        this.events = events;
        this.writes = writeBehind;
        this.behind = writeBehind.lane("activity", ActivityService::insertBatch);
    }

    public record Entry(UUID workspaceId, String type, UUID sourceId, UUID targetId, String method, String summary,
                        JsonNode requestBody, JsonNode responseBody, JsonNode toolTrace, Integer durationMs,
                        String status, String errorDetail) {
    }

    /** A row ready to insert: id and time fixed when it was logged, JSON already serialised. */
    private record Row(UUID id, OffsetDateTime at, Entry e, String req, String resp, String trace) {
    }

    /** Inserts the entry and emits ACTIVITY_LOGGED; returns the new row id. */
    public UUID log(Entry e) {
        UUID id = insert(e);
        emitLogged(e);
        return id;
    }

    /**
     * Logs the entry through the write-behind (the A2A proxy's hops): the event goes out at
     * once, the row is committed with the next batch, within milliseconds, stamped with the
     * time it was logged so the order of hops is kept.
     */
    public void logBehind(Entry e) {
        logBehind(e, jsonOrNull(e.requestBody()), jsonOrNull(e.responseBody()));
    }

    /** {@link #logBehind(Entry)} with the bodies already JSON text (the proxy has them so: no second serialisation). */
    public void logBehind(Entry e, String requestJson, String responseJson) {
        behind.add(new Row(ai.molecule.platform.http.Ids.timeOrdered(), OffsetDateTime.now(), e, requestJson, responseJson, jsonOrNull(e.toolTrace())));
        emitLogged(e);
    }

    private static void insertBatch(org.jdbi.v3.core.Handle h, List<Row> rows) {
        var batch = h.prepareBatch("""
                INSERT INTO activity_logs (id, workspace_id, activity_type, source_id, target_id, method, summary,
                  request_body, response_body, tool_trace, duration_ms, status, error_detail, created_at)
                VALUES (:id, :ws, :type, :source, :target, :method, :summary, CAST(:req AS jsonb), CAST(:resp AS jsonb),
                  CAST(:trace AS jsonb), :duration, :status, :error, :at)""");
        for (Row r : rows) {
            Entry e = r.e();
            batch.bind("id", r.id()).bind("ws", e.workspaceId()).bind("type", e.type()).bind("source", e.sourceId())
                    .bind("target", e.targetId()).bind("method", e.method()).bind("summary", e.summary())
                    .bind("req", r.req()).bind("resp", r.resp()).bind("trace", r.trace())
                    .bind("duration", e.durationMs()).bind("status", e.status() == null ? "ok" : e.status())
                    .bind("error", e.errorDetail()).bind("at", r.at()).add();
        }
        batch.execute();
    }

    private void emitLogged(Entry e) {
        Map<String, Object> payload = JsonMap.of("activity_type", e.type(), "method", e.method(), "summary", e.summary(),
                "status", e.status(), "source_id", str(e.sourceId()), "target_id", str(e.targetId()),
                "duration_ms", e.durationMs());
        if (e.toolTrace() != null) payload.put("tool_trace", e.toolTrace());
        events.emit(EventTypes.ACTIVITY_LOGGED, e.workspaceId(), payload);
    }

    /** A raw insert without an event, as upstream does for notify/delegation/cron rows. */
    public UUID insert(Entry e) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO activity_logs (workspace_id, activity_type, source_id, target_id, method, summary,
                          request_body, response_body, tool_trace, duration_ms, status, error_detail)
                        VALUES (:ws, :type, :source, :target, :method, :summary, CAST(:req AS jsonb), CAST(:resp AS jsonb),
                          CAST(:trace AS jsonb), :duration, :status, :error)
                        RETURNING id""")
                .bind("ws", e.workspaceId()).bind("type", e.type()).bind("source", e.sourceId()).bind("target", e.targetId())
                .bind("method", e.method()).bind("summary", e.summary())
                .bind("req", jsonOrNull(e.requestBody())).bind("resp", jsonOrNull(e.responseBody()))
                .bind("trace", jsonOrNull(e.toolTrace())).bind("duration", e.durationMs())
                .bind("status", e.status() == null ? "ok" : e.status()).bind("error", e.errorDetail())
                .mapTo(UUID.class).one());
    }

    /** Newest first; {@code source}: null, "canvas" (no source) or "agent" (has one). */
    public List<Map<String, Object>> list(UUID workspaceId, String type, String source, int limit) {
        writes.flush(); // read your writes: a hop whose reply the reader already has is listed
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM activity_logs WHERE workspace_id = :ws"
                        + filters(type, source) + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("ws", workspaceId).bind("type", type).bind("limit", limit)
                .map((rs, c) -> toJson(rs)).list());
    }

    /**
     * The rows after the cursor row {@code sinceId}, oldest first: how a poll-mode agent reads
     * its inbox (agent-side spec §6). Empty when the cursor row is not the workspace's (410 at the route).
     */
    public java.util.Optional<List<Map<String, Object>>> listSince(UUID workspaceId, UUID sinceId, String type,
                                                                   String source, int limit) {
        writes.flush();
        return jdbi.withHandle(h -> {
            boolean known = h.createQuery("SELECT EXISTS (SELECT 1 FROM activity_logs WHERE id = :since AND workspace_id = :ws)")
                    .bind("since", sinceId).bind("ws", workspaceId).mapTo(Boolean.class).one();
            if (!known) return java.util.Optional.empty();
            return java.util.Optional.of(h.createQuery("SELECT " + COLUMNS + " FROM activity_logs WHERE workspace_id = :ws"
                            + filters(type, source) + """
                             AND (created_at, id) > (SELECT created_at, id FROM activity_logs WHERE id = :since)
                            ORDER BY created_at, id LIMIT :limit""")
                    .bind("ws", workspaceId).bind("type", type).bind("since", sinceId).bind("limit", limit)
                    .map((rs, c) -> toJson(rs)).list());
        });
    }

    private static String filters(String type, String source) {
        String sourceFilter = source == null ? "" : source.equals("canvas") ? " AND source_id IS NULL" : " AND source_id IS NOT NULL";
        return (type == null ? "" : " AND activity_type = :type") + sourceFilter;
    }

    /** Activity rows and the workspace's memories whose text matches q (ILIKE). */
    public List<Map<String, Object>> search(UUID workspaceId, String q, int limit) {
        writes.flush();
        String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM (
                          SELECT 'activity' AS kind, id, workspace_id, coalesce(summary, activity_type) AS label,
                                 coalesce(summary, '') AS content, method, status, created_at,
                                 request_body::text AS request_body, response_body::text AS response_body
                          FROM activity_logs
                          WHERE workspace_id = :ws AND (:q = '' OR summary ILIKE :like OR method ILIKE :like
                                OR status ILIKE :like OR activity_type ILIKE :like
                                OR request_body::text ILIKE :like OR response_body::text ILIKE :like)
                          UNION ALL
                          SELECT 'memory', id, workspace_id, scope || ':' || namespace, content, NULL, NULL, created_at, NULL, NULL
                          FROM agent_memories WHERE workspace_id = :ws AND (:q = '' OR content ILIKE :like)
                        ) hits ORDER BY created_at DESC LIMIT :limit""")
                .bind("ws", workspaceId).bind("q", q).bind("like", like).bind("limit", limit)
                .map((rs, c) -> {
                    Map<String, Object> m = JsonMap.of("kind", rs.getString("kind"), "id", rs.getString("id"),
                            "workspace_id", rs.getString("workspace_id"), "label", rs.getString("label"),
                            "content", rs.getString("content"), "method", rs.getString("method"),
                            "status", rs.getString("status"), "created_at", rs.getObject("created_at", OffsetDateTime.class));
                    putIfPresent(m, "request_body", rs.getString("request_body"));
                    putIfPresent(m, "response_body", rs.getString("response_body"));
                    return m;
                }).list());
    }

    private static final String COLUMNS = """
            id, workspace_id, activity_type, source_id, target_id, method, summary, duration_ms, status, error_detail,
            created_at, request_body::text AS request_body, response_body::text AS response_body, tool_trace::text AS tool_trace""";

    private static Map<String, Object> toJson(ResultSet rs) throws SQLException {
        Integer duration = rs.getObject("duration_ms") == null ? null : rs.getInt("duration_ms");
        Map<String, Object> m = JsonMap.of("id", rs.getString("id"), "workspace_id", rs.getString("workspace_id"),
                "activity_type", rs.getString("activity_type"), "source_id", rs.getString("source_id"),
                "target_id", rs.getString("target_id"), "method", rs.getString("method"), "summary", rs.getString("summary"),
                "duration_ms", duration, "status", rs.getString("status"), "error_detail", rs.getString("error_detail"),
                "created_at", rs.getObject("created_at", OffsetDateTime.class));
        putIfPresent(m, "request_body", rs.getString("request_body"));
        putIfPresent(m, "response_body", rs.getString("response_body"));
        putIfPresent(m, "tool_trace", rs.getString("tool_trace"));
        return m;
    }

    /** Raw JSON columns: the key is omitted when NULL, as upstream. */
    private static void putIfPresent(Map<String, Object> m, String key, String json) {
        if (json != null) m.put(key, Json.parse(json));
    }

    private static String jsonOrNull(JsonNode n) {
        return n == null ? null : Json.write(n);
    }

    private static String str(UUID id) {
        return id == null ? null : id.toString();
    }
}
