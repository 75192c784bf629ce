package ai.molecule.platform.memory;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import com.fasterxml.jackson.databind.node.NullNode;
import io.javalin.config.RoutesConfig;

import java.util.UUID;

/** {@code /workspaces/{id}/memory}: the key/value memory (spec §1.6). */
public final class KeyValueRoutes implements RouteModule {
    private final KeyValueService kv;
    private final WorkspaceScope scope;

    public KeyValueRoutes(KeyValueService kv, WorkspaceScope scope) {
        this.kv = kv;
        this.scope = scope;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/memory", ctx -> ctx.json(kv.list(scope.authorize(ctx))));
        r.get("/workspaces/{id}/memory/{key}", ctx -> ctx.json(kv.get(scope.authorize(ctx), ctx.pathParam("key"))));
        r.post("/workspaces/{id}/memory", ctx -> {
            UUID ws = scope.authorize(ctx);
            Body b = Body.of(ctx, "invalid request body");
            String key = b.string("key").filter(k -> !k.isEmpty()).orElseThrow(() -> ApiError.badRequest("key is required"));
            long version = kv.set(ws, key, b.raw("value").orElse(NullNode.getInstance()),
                    b.integer("ttl_seconds").orElse(null), b.integer("if_match_version").orElse(null));
            ctx.json(JsonMap.of("status", "ok", "key", key, "version", version));
        });
        r.delete("/workspaces/{id}/memory/{key}", ctx -> {
            kv.delete(scope.authorize(ctx), ctx.pathParam("key"));
            ctx.json(JsonMap.of("status", "deleted"));
        });
    }
}
