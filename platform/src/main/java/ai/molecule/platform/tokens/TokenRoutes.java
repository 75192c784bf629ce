package ai.molecule.platform.tokens;

import ai.molecule.platform.PlatformConfig;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.QueryParams;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import ai.molecule.platform.workspace.WorkspaceRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;
import java.util.UUID;

/** Workspace tokens and the test-token bootstrap (spec §1.12). */
public final class TokenRoutes implements RouteModule {
    private final TokenService tokens;
    private final WorkspaceScope scope;
    private final WorkspaceRepository workspaces;
    private final PlatformConfig config;

    public TokenRoutes(TokenService tokens, WorkspaceScope scope, WorkspaceRepository workspaces, PlatformConfig config) {
        this.tokens = tokens;
        this.scope = scope;
        this.workspaces = workspaces;
        this.config = config;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/tokens", ctx -> {
            UUID id = scope.authorize(ctx);
            int limit = QueryParams.limit(ctx, 50, 200), offset = QueryParams.offset(ctx);
            var list = tokens.list(id, limit, offset).stream()
                    .map(t -> JsonMap.of("id", t.id().toString(), "prefix", t.prefix(), "created_at", t.createdAt(),
                            "last_used_at", t.lastUsedAt()))
                    .toList();
            ctx.json(JsonMap.of("tokens", list, "count", list.size()));
        });
        r.post("/workspaces/{id}/tokens", ctx -> {
            UUID id = scope.authorize(ctx);
            requireLiveWorkspace(id);
            if (tokens.liveCount(id) >= TokenService.MAX_LIVE_PER_WORKSPACE) {
                throw new ApiError(429, "maximum 50 active tokens per workspace");
            }
            ctx.status(201).json(JsonMap.of("auth_token", tokens.mint(id), "workspace_id", id.toString(),
                    "message", "Save this token now — it cannot be retrieved again."));
        });
        r.delete("/workspaces/{id}/tokens/{tokenId}", ctx -> {
            UUID id = scope.authorize(ctx);
            UUID tokenId = Ids.parseOrNotFound(ctx.pathParam("tokenId"), "token not found or already revoked");
            if (!tokens.revoke(id, tokenId)) throw ApiError.notFound("token not found or already revoked");
            ctx.json(Map.of("status", "revoked"));
        });
        r.get("/admin/workspaces/{id}/test-token", this::testToken);
    }

    /** Not behind AdminAuth: the E2E bootstrap. Off in production unless forced. */
    private void testToken(Context ctx) {
        if (!config.testTokensEnabled()) throw ApiError.notFound("not found");
        if (config.adminToken() != null) {
            if (!scope.auth().isAdminToken(Auth.bearer(ctx).orElse(""))) throw ApiError.unauthorized("admin auth required");
        }
        UUID id = Ids.parseOrNotFound(ctx.pathParam("id"), "workspace not found");
        requireLiveWorkspace(id);
        ctx.json(JsonMap.of("auth_token", tokens.mint(id), "workspace_id", id.toString()));
    }

    private void requireLiveWorkspace(UUID id) {
        if (workspaces.find(id).filter(w -> !w.status().equals("removed")).isEmpty()) {
            throw ApiError.notFound("workspace not found");
        }
    }
}
