package ai.molecule.platform.a2a;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import io.javalin.config.RoutesConfig;

import java.util.Map;
import java.util.UUID;

/** /delegate, /delegations, record and update (spec §1.9). */
public final class DelegationRoutes implements RouteModule {
    private static final String BAD = "invalid delegation request";

    private final DelegationService delegations;
    private final WorkspaceScope scope;

    public DelegationRoutes(DelegationService delegations, WorkspaceScope scope) {
        this.delegations = delegations;
        this.scope = scope;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.post("/workspaces/{id}/delegate", ctx -> {
            UUID source = scope.authorize(ctx);
            Body b = Body.of(ctx, BAD);
            UUID target = Ids.parse(b.requiredString("target_id"), "target_id must be a valid UUID");
            String task = b.requiredString("task");
            DelegationService.Started s = delegations.delegate(source, target, task,
                    b.string("idempotency_key").filter(k -> !k.isEmpty()).orElse(null));
            if (s.idempotentHit()) {
                ctx.json(JsonMap.of("delegation_id", s.delegationId().toString(), "status", s.status(),
                        "target_id", target.toString(), "idempotent_hit", true));
            } else {
                ctx.status(202).json(JsonMap.of("delegation_id", s.delegationId().toString(), "status", "delegated",
                        "target_id", target.toString()));
            }
        });
        r.get("/workspaces/{id}/delegations", ctx -> ctx.json(delegations.list(scope.authorize(ctx))));
        r.post("/workspaces/{id}/delegations/record", ctx -> {
            UUID source = scope.authorize(ctx);
            Body b = Body.of(ctx, BAD);
            UUID target = Ids.parse(b.requiredString("target_id"), "target_id must be a valid UUID");
            String task = b.requiredString("task");
            UUID delegationId = Ids.parse(b.requiredString("delegation_id"), BAD);
            delegations.record(source, target, task, delegationId);
            ctx.status(202).json(JsonMap.of("delegation_id", delegationId.toString(), "status", "recorded"));
        });
        r.post("/workspaces/{id}/delegations/{delegationId}/update", ctx -> {
            UUID source = scope.authorize(ctx);
            UUID delegationId = Ids.parse(ctx.pathParam("delegationId"), BAD);
            Body b = Body.of(ctx, "invalid request body");
            String status = b.string("status").orElse("");
            if (!status.equals("completed") && !status.equals("failed")) {
                throw ApiError.badRequest("status must be 'completed' or 'failed'");
            }
            delegations.update(source, delegationId, status, b.string("error").orElse(null),
                    b.string("response_preview").orElse(null));
            ctx.json(JsonMap.of("status", status, "delegation_id", delegationId.toString()));
        });
    }
}
