package ai.molecule.platform.activity;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.QueryParams;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import ai.molecule.platform.workspace.Workspace;
import ai.molecule.platform.workspace.WorkspaceRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Activity list / report, notify and session search (spec §1.5). */
public final class ActivityRoutes implements RouteModule {
    private static final String BAD = "invalid request body";

    private final ActivityService activity;
    private final WorkspaceScope scope;
    private final WorkspaceRepository workspaces;
    private final EventBus events;

    public ActivityRoutes(ActivityService activity, WorkspaceScope scope, WorkspaceRepository workspaces, EventBus events) {
        this.activity = activity;
        this.scope = scope;
        this.workspaces = workspaces;
        this.events = events;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/activity", ctx -> {
            UUID id = scope.authorize(ctx);
            String source = ctx.queryParam("source");
            if (source != null && !source.equals("canvas") && !source.equals("agent")) {
                throw ApiError.badRequest("source must be 'canvas' or 'agent'");
            }
            String type = ctx.queryParam("type");
            type = type == null || type.isEmpty() ? null : type;
            int limit = QueryParams.limit(ctx, 100, 500);
            String since = ctx.queryParam("since_id");
            if (since == null || since.isEmpty()) {
                ctx.json(activity.list(id, type, source, limit));
                return;
            }
            UUID cursor = Ids.parse(since, "invalid since_id");
            ctx.json(activity.listSince(id, cursor, type, source, limit)
                    .orElseThrow(() -> new ApiError(410, "since_id not found: the cursor is gone, restart from the newest rows")));
        });
        r.post("/workspaces/{id}/activity", this::report);
        r.post("/workspaces/{id}/notify", this::notifyUser);
        r.get("/workspaces/{id}/session-search", ctx -> {
            UUID id = scope.authorize(ctx);
            String q = ctx.queryParam("q");
            ctx.json(activity.search(id, q == null ? "" : q, QueryParams.limit(ctx, 50, 200)));
        });
    }

    private void report(Context ctx) {
        UUID id = scope.authorize(ctx);
        Body b = Body.of(ctx, BAD);
        String type = b.requiredString("activity_type");
        if (!ActivityService.TYPES.contains(type)) {
            throw ApiError.badRequest("invalid activity_type, must be one of: " + String.join(", ", ActivityService.TYPES));
        }
        UUID source = b.uuid("source_id", BAD).orElse(id);
        if (!source.equals(id)) throw ApiError.forbidden("source_id must match authenticated workspace");
        requireWorkspace(id);
        JsonNode request = b.raw("request_body").or(() -> b.raw("metadata")).orElse(null);
        Integer duration = b.integer("duration_ms").map(Long::intValue).orElse(null);
        activity.log(new ActivityService.Entry(id, type, source, b.uuid("target_id", BAD).orElse(null),
                b.string("method").orElse(null), b.string("summary").orElse(null), request,
                b.raw("response_body").orElse(null), null, duration,
                b.string("status").filter(s -> !s.isEmpty()).orElse("ok"), b.string("error_detail").orElse(null)));
        ctx.json(Map.of("status", "logged"));
    }

    private void notifyUser(Context ctx) {
        UUID id = scope.authorize(ctx);
        Body b = Body.of(ctx, BAD);
        String message = b.string("message").filter(s -> !s.isEmpty())
                .orElseThrow(() -> ApiError.badRequest("message is required"));
        List<Map<String, Object>> attachments = attachments(b);
        Workspace ws = requireWorkspace(id);
        Map<String, Object> payload = JsonMap.of("message", message, "workspace_id", id.toString(), "name", ws.name());
        if (!attachments.isEmpty()) payload.put("attachments", attachments);
        events.emit(EventTypes.AGENT_MESSAGE, id, payload);
        ObjectNode response = Json.MAPPER.createObjectNode().put("result", message);
        if (!attachments.isEmpty()) {
            ArrayNode parts = response.putArray("parts");
            for (Map<String, Object> a : attachments) {
                parts.addObject().put("kind", "file").set("file", Json.MAPPER.valueToTree(a));
            }
        }
        String summary = "Agent message: " + (message.length() > 80 ? message.substring(0, 80) + "…" : message);
        activity.insert(new ActivityService.Entry(id, "a2a_receive", null, null, "notify", summary, null, response,
                null, null, "ok", null));
        ctx.json(Map.of("status", "sent"));
    }

    private static List<Map<String, Object>> attachments(Body b) {
        List<Map<String, Object>> out = new ArrayList<>();
        JsonNode list = b.raw("attachments").orElse(null);
        if (list == null) return out;
        if (!list.isArray()) throw ApiError.badRequest(BAD);
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            String uri = a.path("uri").asText(""), name = a.path("name").asText("");
            if (uri.isEmpty() || name.isEmpty()) throw ApiError.badRequest("attachment[" + i + "]: uri and name are required");
            Map<String, Object> m = JsonMap.of("uri", uri, "name", name);
            if (a.hasNonNull("mimeType")) m.put("mimeType", a.get("mimeType").asText());
            if (a.hasNonNull("size")) m.put("size", a.get("size").asLong());
            out.add(m);
        }
        return out;
    }

    private Workspace requireWorkspace(UUID id) {
        return workspaces.find(id).orElseThrow(() -> ApiError.notFound("workspace not found"));
    }
}
