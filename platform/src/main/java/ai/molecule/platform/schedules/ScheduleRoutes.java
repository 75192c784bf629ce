package ai.molecule.platform.schedules;

import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.UUID;

/** Schedules (spec §1.10). */
public final class ScheduleRoutes implements RouteModule {
    private static final String BAD = "invalid request body";
    private static final String REQUIRED = "cron_expr and prompt are required";

    private final ScheduleService schedules;
    private final Scheduler scheduler;
    private final WorkspaceScope scope;
    private final Hierarchy hierarchy;

    public ScheduleRoutes(ScheduleService schedules, Scheduler scheduler, WorkspaceScope scope, Hierarchy hierarchy) {
        this.schedules = schedules;
        this.scheduler = scheduler;
        this.scope = scope;
        this.hierarchy = hierarchy;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/schedules", ctx -> ctx.json(schedules.list(scope.authorize(ctx))));
        r.post("/workspaces/{id}/schedules", ctx -> {
            UUID ws = scope.authorize(ctx);
            Body b = Body.of(ctx, BAD);
            String cron = b.string("cron_expr").orElse("");
            String prompt = prompt(b).orElse("");
            if (cron.isBlank() || prompt.isEmpty()) throw ApiError.badRequest(REQUIRED);
            ScheduleService.Created c = schedules.create(ws, new ScheduleService.Fields(b.string("name").orElse(""), cron,
                    timezone(b).orElse("UTC"), prompt, b.bool("enabled").orElse(true)));
            ctx.status(201).json(JsonMap.of("id", c.id().toString(), "status", "created", "next_run_at", c.nextRunAt()));
        });
        r.patch("/workspaces/{id}/schedules/{scheduleId}", ctx -> {
            UUID ws = scope.authorize(ctx);
            UUID id = scheduleId(ctx);
            Body b = Body.of(ctx, BAD);
            String cron = b.string("cron_expr").orElse(null);
            String prompt = prompt(b).orElse(null);
            if ((cron != null && cron.isBlank()) || (prompt != null && prompt.isEmpty())) throw ApiError.badRequest(REQUIRED);
            schedules.update(ws, id, new ScheduleService.Fields(b.string("name").orElse(null), cron, timezone(b).orElse(null),
                    prompt, b.bool("enabled").orElse(null)));
            ctx.json(JsonMap.of("status", "updated"));
        });
        r.delete("/workspaces/{id}/schedules/{scheduleId}", ctx -> {
            UUID ws = scope.authorize(ctx);
            schedules.delete(ws, scheduleId(ctx));
            ctx.json(JsonMap.of("status", "deleted"));
        });
        r.post("/workspaces/{id}/schedules/{scheduleId}/run", this::runNow);
        r.get("/workspaces/{id}/schedules/{scheduleId}/history", ctx -> {
            UUID ws = scope.authorize(ctx);
            ctx.json(schedules.history(ws, scheduleId(ctx)));
        });
        r.get("/workspaces/{id}/schedules/health", this::health);
        r.get("/admin/schedules/health", ctx -> {
            scope.auth().admin(ctx);
            ctx.json(schedules.adminHealth());
        });
    }

    /**
     * As upstream, the answer carries the prompt for the canvas to send itself; with
     * {@code ?fire=true} the platform fires it (history row, events) and the canvas need not.
     */
    private void runNow(Context ctx) {
        UUID ws = scope.authorize(ctx);
        Schedule s = schedules.find(ws, scheduleId(ctx));
        if ("true".equals(ctx.queryParam("fire"))) scheduler.fireNow(s);
        ctx.json(JsonMap.of("status", "fired", "workspace_id", ws.toString(), "prompt", s.prompt()));
    }

    /** Header-authenticated (spec §2.6): the caller names itself, proves it with its token, and must be allowed to see the target. */
    private void health(Context ctx) {
        String header = ctx.header("X-Workspace-ID");
        if (header == null || header.isBlank()) throw ApiError.unauthorized("X-Workspace-ID header required");
        UUID caller = Ids.parse(header.trim(), "invalid X-Workspace-ID");
        UUID target = WorkspaceScope.id(ctx);
        boolean admin = Auth.bearer(ctx).map(scope.auth()::isAdminToken).orElse(false);
        if (!admin) scope.auth().registry(ctx, caller); // its own token, once it has one
        if (!hierarchy.canCommunicate(caller, target)) throw ApiError.forbidden("access denied");
        ctx.json(schedules.health(target));
    }

    private static UUID scheduleId(Context ctx) {
        return Ids.parseOrNotFound(ctx.pathParam("scheduleId"), ScheduleService.NOT_FOUND);
    }

    /** CR characters are stripped (spec). */
    private static Optional<String> prompt(Body b) {
        return b.string("prompt").map(p -> p.replace("\r", ""));
    }

    private static Optional<String> timezone(Body b) {
        return b.string("timezone").map(t -> t.isEmpty() ? "UTC" : t);
    }
}
