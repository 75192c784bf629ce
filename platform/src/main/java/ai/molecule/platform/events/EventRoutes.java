package ai.molecule.platform.events;

import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import io.javalin.config.RoutesConfig;
import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** GET /events and /events/:workspaceId: the last 100 structure events, newest first. */
public final class EventRoutes implements RouteModule {
    private final Jdbi jdbi;
    private final Auth auth;

    public EventRoutes(Jdbi jdbi, Auth auth) {
        this.jdbi = jdbi;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/events", ctx -> {
            auth.admin(ctx);
            ctx.json(recent(null));
        });
        r.get("/events/{workspaceId}", ctx -> {
            auth.admin(ctx);
            ctx.json(recent(Ids.parse(ctx.pathParam("workspaceId"), "invalid workspace ID")));
        });
    }

    private List<Map<String, Object>> recent(UUID workspaceId) {
        String where = workspaceId == null ? "" : "WHERE workspace_id = :ws";
        return jdbi.withHandle(h -> {
            var q = h.createQuery("""
                    SELECT id, event_type, workspace_id, payload::text AS payload, created_at
                    FROM structure_events %s ORDER BY created_at DESC, id DESC LIMIT 100""".formatted(where));
            if (workspaceId != null) q.bind("ws", workspaceId); // Jdbi rejects a binding the unfiltered query lacks
            return q.map((rs, c) -> JsonMap.of(
                            "id", rs.getString("id"),
                            "event_type", rs.getString("event_type"),
                            "workspace_id", rs.getString("workspace_id"),
                            "payload", Json.parse(rs.getString("payload")),
                            "created_at", rs.getObject("created_at", OffsetDateTime.class)))
                    .list();
        });
    }
}
