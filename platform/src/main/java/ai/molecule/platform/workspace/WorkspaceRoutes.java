package ai.molecule.platform.workspace;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Workspace CRUD and state (spec §1.2). Parsing only; the rules live in the services. */
public final class WorkspaceRoutes implements RouteModule {
    private static final String BAD_CREATE = "invalid workspace payload";

    private final WorkspaceRepository repo;
    private final WorkspaceCreator creator;
    private final WorkspaceService service;
    private final WorkspaceScope scope;
    private final Auth auth;
    private final String externalPlatformUrl;

    public WorkspaceRoutes(WorkspaceRepository repo, WorkspaceCreator creator, WorkspaceService service,
                           WorkspaceScope scope, String externalPlatformUrl) {
        this.repo = repo;
        this.creator = creator;
        this.service = service;
        this.scope = scope;
        this.auth = scope.auth();
        this.externalPlatformUrl = externalPlatformUrl;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces", ctx -> {
            auth.admin(ctx);
            ctx.json(repo.listVisible().stream().map(Workspace::toListJson).toList());
        });
        r.post("/workspaces", ctx -> {
            auth.admin(ctx);
            ctx.status(201).json(creator.create(parseCreate(Body.of(ctx, BAD_CREATE)), platformUrl(ctx)));
        });
        r.get("/workspaces/{id}", ctx -> {
            UUID id = WorkspaceScope.id(ctx);
            ctx.json(repo.find(id).orElseThrow(() -> ApiError.notFound("workspace not found")).toPublicJson());
        });
        r.patch("/workspaces/{id}", ctx -> {
            UUID id = scope.authorize(ctx);
            boolean restart = service.patch(id, parsePatch(Body.of(ctx, "invalid request body")));
            ctx.json(restart ? JsonMap.of("status", "updated", "needs_restart", true) : Map.of("status", "updated"));
        });
        r.delete("/workspaces/{id}", ctx -> {
            auth.admin(ctx);
            UUID id = WorkspaceScope.id(ctx);
            ctx.json(service.delete(id, "true".equals(ctx.queryParam("confirm")), "true".equals(ctx.queryParam("purge"))));
        });
        r.get("/workspaces/{id}/state", ctx -> {
            UUID id = scope.authorize(ctx);
            auth.ownTokenIfAny(ctx, id);
            ctx.json(service.state(id));
        });
    }

    private String platformUrl(Context ctx) {
        return platformUrl(ctx, externalPlatformUrl);
    }

    /** The platform URL shown to external agents: EXTERNAL_PLATFORM_URL, else the request's own host. */
    public static String platformUrl(Context ctx, String externalPlatformUrl) {
        if (externalPlatformUrl != null) return externalPlatformUrl;
        String host = ctx.header("Host");
        return ctx.scheme() + "://" + (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]+") ? "127.0.0.1" : host);
    }

    static WorkspaceCreator.NewWorkspace parseCreate(Body b) {
        String name = b.requiredString("name");
        int tier = (int) (long) b.integer("tier").orElse(0L);
        if (tier == 0) tier = 3;
        int max = (int) (long) b.integer("max_concurrent_tasks").orElse(1L);
        String dir = b.string("workspace_dir").filter(s -> !s.isEmpty()).orElse(null);
        UUID parent = b.string("parent_id").filter(s -> !s.isEmpty())
                .map(s -> Ids.parse(s, "invalid workspace fields")).orElse(null);
        ObjectNode canvas = b.object("canvas").orElse(null);
        double x = 0, y = 0;
        if (canvas != null) {
            Body c = Body.parse(canvas.toString(), BAD_CREATE);
            x = c.number("x").orElse(0.0);
            y = c.number("y").orElse(0.0);
        }
        return new WorkspaceCreator.NewWorkspace(name, b.string("role").orElse(null),
                b.string("template").filter(s -> !s.isEmpty()).orElse(null), tier,
                b.string("model").filter(s -> !s.isEmpty()).orElse(null),
                b.string("runtime").filter(s -> !s.isEmpty()).orElse(null), // the template's, else langgraph
                b.bool("external").orElse(false), b.string("url").filter(s -> !s.isEmpty()).orElse(null),
                dir, b.string("workspace_access").filter(s -> !s.isEmpty()).orElse("none"), parent,
                b.integer("budget_limit").orElse(null), stringMap(b), Math.max(1, max), x, y, memories(b),
                b.object("config").orElse(null));
    }

    private static Map<String, String> stringMap(Body b) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectNode s = b.object("secrets").orElse(null);
        if (s == null) return out;
        s.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) throw ApiError.badRequest(BAD_CREATE);
            out.put(e.getKey(), e.getValue().textValue());
        });
        return out;
    }

    private static List<WorkspaceCreator.Memory> memories(Body b) {
        List<WorkspaceCreator.Memory> out = new ArrayList<>();
        JsonNode list = b.raw("initial_memories").orElse(null);
        if (list == null) return out;
        if (!list.isArray()) throw ApiError.badRequest(BAD_CREATE);
        for (JsonNode m : list) {
            if (!m.isObject() || !m.path("content").isTextual()) throw ApiError.badRequest(BAD_CREATE);
            String scope = m.path("scope").asText("");
            out.add(new WorkspaceCreator.Memory(m.get("content").textValue(),
                    scope.isEmpty() ? "LOCAL" : scope.toUpperCase(Locale.ROOT)));
        }
        return out;
    }

    static WorkspaceService.Patch parsePatch(Body b) {
        String name = b.string("name").orElse(null);
        String role = b.string("role").orElse(null);
        String runtime = b.string("runtime").orElse(null);
        FieldRules.name(name);
        if (name != null && name.isBlank()) throw ApiError.badRequest("name must not be empty");
        FieldRules.role(role);
        FieldRules.runtime(runtime);
        Integer tier = b.integer("tier").map(Long::intValue).orElse(null);
        if (tier != null && (tier < 1 || tier > 4)) throw ApiError.badRequest("tier must be between 1 and 4");
        boolean parentSet = b.has("parent_id");
        UUID parent = b.string("parent_id").filter(s -> !s.isEmpty())
                .map(s -> Ids.parse(s, "invalid request body")).orElse(null);
        boolean dirSet = b.has("workspace_dir");
        String dir = b.string("workspace_dir").filter(s -> !s.isEmpty()).orElse(null);
        FieldRules.workspaceDir(dir);
        Double x = b.number("x").orElse(null), y = b.number("y").orElse(null);
        if ((x == null) != (y == null)) { // upstream moves a node only when both are sent
            x = null;
            y = null;
        }
        return new WorkspaceService.Patch(name, role, tier, parentSet, parent, b.bool("collapsed").orElse(null),
                runtime, dirSet, dir, x, y);
    }
}
