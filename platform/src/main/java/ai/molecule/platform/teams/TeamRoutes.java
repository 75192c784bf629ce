package ai.molecule.platform.teams;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import ai.molecule.platform.workspace.FieldRules;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Team expand / collapse (spec §1.8) and the agent slot routes (spec §1.2). */
public final class TeamRoutes implements RouteModule {
    private final TeamService teams;
    private final AgentSlots agents;
    private final WorkspaceScope scope;
    private final Function<Context, String> platformUrl;

    public TeamRoutes(TeamService teams, AgentSlots agents, WorkspaceScope scope, Function<Context, String> platformUrl) {
        this.teams = teams;
        this.agents = agents;
        this.scope = scope;
        this.platformUrl = platformUrl;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.post("/workspaces/{id}/expand", ctx -> {
            UUID id = scope.authorize(ctx);
            List<TeamService.Member> given = null;
            if (!ctx.body().isBlank()) {
                Body b = Body.of(ctx, "invalid request body");
                given = b.raw("children").map(TeamService::members).orElse(null);
            }
            ctx.json(teams.expand(id, given, platformUrl.apply(ctx)));
        });
        r.post("/workspaces/{id}/collapse", ctx -> ctx.json(teams.collapse(scope.authorize(ctx))));
        r.post("/workspaces/{id}/agent", ctx -> {
            UUID id = scope.authorize(ctx);
            ctx.status(201).json(agents.assign(id, model(ctx)));
        });
        r.patch("/workspaces/{id}/agent", ctx -> {
            UUID id = scope.authorize(ctx);
            ctx.json(agents.replace(id, model(ctx)));
        });
        r.delete("/workspaces/{id}/agent", ctx -> ctx.json(agents.remove(scope.authorize(ctx))));
        r.post("/workspaces/{id}/agent/move", ctx -> {
            UUID id = scope.authorize(ctx);
            UUID target = Body.of(ctx, "invalid request body").uuid("target_workspace_id", "invalid request body")
                    .orElseThrow(() -> ApiError.badRequest("invalid request body"));
            ctx.json(agents.move(id, target));
        });
    }

    private static String model(Context ctx) {
        String model = Body.of(ctx, "invalid request body").requiredString("model");
        FieldRules.model(model);
        return model;
    }

}
