package ai.molecule.platform.budget;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;

import java.util.UUID;

/** {@code /workspaces/{id}/budget} and {@code /metrics} (spec §1.19). */
public final class BudgetRoutes implements RouteModule {
    private final BudgetService budgets;
    private final WorkspaceScope scope;

    public BudgetRoutes(BudgetService budgets, WorkspaceScope scope) {
        this.budgets = budgets;
        this.scope = scope;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/budget", ctx -> ctx.json(budgets.budget(scope.authorize(ctx))));
        r.patch("/workspaces/{id}/budget", ctx -> {
            scope.auth().admin(ctx);
            UUID id = WorkspaceScope.id(ctx);
            ctx.json(budgets.setLimit(id, limit(Body.of(ctx, "invalid request body"))));
        });
        r.get("/workspaces/{id}/metrics", ctx -> ctx.json(budgets.metrics(scope.authorize(ctx))));
    }

    private static Long limit(Body b) {
        if (!b.has("budget_limit")) throw ApiError.badRequest("budget_limit field is required");
        JsonNode v = b.node().get("budget_limit");
        if (v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiError.badRequest("budget_limit must be an integer (USD cents) or null");
        }
        if (v.asLong() < 0) throw ApiError.badRequest("budget_limit must be >= 0 (USD cents)");
        return v.asLong();
    }
}
