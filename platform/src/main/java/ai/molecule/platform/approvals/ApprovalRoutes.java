package ai.molecule.platform.approvals;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import io.javalin.config.RoutesConfig;

import java.util.UUID;

/** Approvals (spec §1.7). */
public final class ApprovalRoutes implements RouteModule {
    private static final String BAD = "invalid request body";
    private static final String NOT_FOUND = "approval not found or already decided";

    private final ApprovalService approvals;
    private final WorkspaceScope scope;

    public ApprovalRoutes(ApprovalService approvals, WorkspaceScope scope) {
        this.approvals = approvals;
        this.scope = scope;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.post("/workspaces/{id}/approvals", ctx -> {
            UUID ws = scope.authorize(ctx);
            Body b = Body.of(ctx, BAD);
            UUID id = approvals.create(ws, new ApprovalService.Request(b.requiredString("action"),
                    b.string("task_id").orElse(null), b.string("reason").orElse(null), b.object("context").orElse(null)));
            ctx.status(201).json(JsonMap.of("approval_id", id.toString(), "status", "pending"));
        });
        r.get("/workspaces/{id}/approvals", ctx -> ctx.json(approvals.list(scope.authorize(ctx))));
        r.post("/workspaces/{id}/approvals/{approvalId}/decide", ctx -> {
            UUID ws = scope.authorize(ctx);
            Body b = Body.of(ctx, BAD);
            String decision = b.string("decision").orElse("");
            if (!decision.equals("approved") && !decision.equals("denied")) {
                throw ApiError.badRequest("decision must be 'approved' or 'denied'");
            }
            String raw = ctx.pathParam("approvalId");
            if (!Ids.valid(raw)) throw ApiError.notFound(NOT_FOUND);
            String by = b.string("decided_by").filter(s -> !s.isEmpty()).orElse("human");
            approvals.decide(ws, UUID.fromString(raw), decision, by);
            ctx.json(JsonMap.of("status", decision, "approval_id", raw));
        });
        r.get("/approvals/pending", ctx -> {
            scope.auth().admin(ctx);
            ctx.json(approvals.pending());
        });
    }
}
