package ai.molecule.platform.workspace;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.UUID;

/** Restart / pause / resume / hibernate and the workspace config document (spec §1.2). */
public final class LifecycleRoutes implements RouteModule {
    private static final int MAX_CONFIG_BYTES = 256 * 1024;

    private final WorkspaceLifecycle lifecycle;
    private final WorkspaceScope scope;
    private final Jdbi jdbi;

    public LifecycleRoutes(WorkspaceLifecycle lifecycle, WorkspaceScope scope, Jdbi jdbi) {
        this.lifecycle = lifecycle;
        this.scope = scope;
        this.jdbi = jdbi;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.post("/workspaces/{id}/restart", ctx -> {
            UUID id = scope.authorize(ctx);
            boolean reset = "true".equals(ctx.queryParam("reset"));
            if (!ctx.body().isBlank()) reset |= Body.of(ctx, "invalid request body").bool("reset").orElse(false);
            ctx.json(lifecycle.restart(id, reset));
        });
        r.post("/workspaces/{id}/pause", ctx -> ctx.json(lifecycle.pause(scope.authorize(ctx))));
        r.post("/workspaces/{id}/resume", ctx -> ctx.json(lifecycle.resume(scope.authorize(ctx))));
        r.post("/workspaces/{id}/hibernate", ctx ->
                ctx.json(lifecycle.hibernate(scope.authorize(ctx), "true".equals(ctx.queryParam("force")))));
        r.get("/workspaces/{id}/config", ctx -> {
            UUID id = scope.authorize(ctx);
            String data = jdbi.withHandle(h -> h.createQuery("SELECT data::text FROM workspace_config WHERE workspace_id = :id")
                    .bind("id", id).mapTo(String.class).findOne().orElse("{}"));
            ctx.json(Map.of("data", Json.parse(data)));
        });
        r.patch("/workspaces/{id}/config", this::patchConfig);
    }

    /** Shallow merge into workspace_config.data (jsonb ||); applies at the next (re)start. */
    private void patchConfig(Context ctx) {
        UUID id = scope.authorize(ctx);
        if (ctx.bodyAsBytes().length > MAX_CONFIG_BYTES) throw new ApiError(413, "body too large or unreadable");
        Body body = Body.of(ctx, "invalid JSON");
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO workspace_config (workspace_id, data)
                        SELECT id, CAST(:data AS jsonb) FROM workspaces WHERE id = :id
                        ON CONFLICT (workspace_id) DO UPDATE SET data = workspace_config.data || excluded.data, updated_at = now()""")
                .bind("id", id).bind("data", body.node().toString()).execute());
        if (n == 0) throw ApiError.notFound("workspace not found");
        ctx.json(Map.of("status", "updated"));
    }
}
