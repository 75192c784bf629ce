package ai.molecule.platform.secrets;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import ai.molecule.platform.workspace.WorkspaceRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Workspace secrets, global secrets and the model setting (spec §1.11). */
public final class SecretRoutes implements RouteModule {
    private final SecretService secrets;
    private final WorkspaceScope scope;
    private final Auth auth;
    private final WorkspaceRepository workspaces;
    private final SecretChanges changes;

    /** Who must hear that a secret changed: its workspaces restart to see the new environment. */
    public interface SecretChanges {
        void workspaceSecretChanged(UUID workspaceId);

        void globalSecretChanged(String key);
    }

    public SecretRoutes(SecretService secrets, WorkspaceScope scope, WorkspaceRepository workspaces, SecretChanges changes) {
        this.secrets = secrets;
        this.scope = scope;
        this.auth = scope.auth();
        this.workspaces = workspaces;
        this.changes = changes;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/secrets", ctx -> ctx.json(secrets.listForWorkspace(scope.authorize(ctx))
                .stream().map(SecretService.SecretInfo::toJson).toList()));
        r.get("/workspaces/{id}/secrets/values", ctx -> {
            UUID id = scope.authorize(ctx);
            auth.ownTokenIfAny(ctx, id);
            ctx.json(secrets.values(id));
        });
        r.post("/workspaces/{id}/secrets", this::setWorkspaceSecret);
        r.put("/workspaces/{id}/secrets", this::setWorkspaceSecret);
        r.delete("/workspaces/{id}/secrets/{key}", ctx -> {
            UUID id = scope.authorize(ctx);
            String key = ctx.pathParam("key");
            if (!secrets.deleteWorkspaceSecret(id, key)) throw ApiError.notFound("secret not found");
            changes.workspaceSecretChanged(id);
            ctx.json(JsonMap.of("status", "deleted", "key", key));
        });
        r.get("/workspaces/{id}/model", ctx -> {
            UUID id = scope.authorize(ctx);
            String model = secrets.workspaceValue(id, SecretService.MODEL_KEY).orElse("");
            ctx.json(model.isEmpty() ? JsonMap.of("model", "", "source", "default")
                    : JsonMap.of("model", model, "source", "workspace_secrets"));
        });
        r.put("/workspaces/{id}/model", ctx -> {
            UUID id = scope.authorize(ctx);
            String model = Body.of(ctx, "invalid request body").string("model").orElse("");
            if (model.length() > 100 || model.indexOf('\n') >= 0) throw ApiError.badRequest("invalid model");
            existing(id);
            if (model.isEmpty()) {
                secrets.deleteWorkspaceSecret(id, SecretService.MODEL_KEY);
                ctx.json(Map.of("status", "cleared"));
            } else {
                secrets.setWorkspaceSecret(id, SecretService.MODEL_KEY, model);
                ctx.json(JsonMap.of("status", "saved", "model", model));
            }
            changes.workspaceSecretChanged(id);
        });
        for (String base : List.of("/settings/secrets", "/admin/secrets")) {
            r.get(base, ctx -> {
                auth.admin(ctx);
                ctx.json(secrets.listGlobal().stream().map(SecretService.SecretInfo::toJson).toList());
            });
            r.post(base, this::setGlobal);
            r.delete(base + "/{key}", ctx -> {
                auth.admin(ctx);
                String key = ctx.pathParam("key");
                if (!secrets.deleteGlobal(key)) throw ApiError.notFound("secret not found");
                changes.globalSecretChanged(key);
                ctx.json(JsonMap.of("status", "deleted", "key", key, "scope", "global"));
            });
        }
        r.put("/settings/secrets", this::setGlobal);
    }

    private void setWorkspaceSecret(Context ctx) {
        UUID id = scope.authorize(ctx);
        Body body = Body.of(ctx, "invalid request body");
        String key = body.requiredString("key");
        String value = body.requiredString("value");
        SecretService.validateKey(key);
        existing(id);
        secrets.setWorkspaceSecret(id, key, value);
        changes.workspaceSecretChanged(id);
        ctx.json(JsonMap.of("status", "saved", "key", key));
    }

    private void setGlobal(Context ctx) {
        auth.admin(ctx);
        Body body = Body.of(ctx, "invalid request body");
        String key = body.requiredString("key");
        String value = body.requiredString("value");
        SecretService.validateKey(key);
        secrets.setGlobal(key, value);
        changes.globalSecretChanged(key);
        ctx.json(JsonMap.of("status", "saved", "key", key, "scope", "global"));
    }

    private void existing(UUID id) {
        if (workspaces.find(id).filter(w -> !w.status().equals("removed")).isEmpty()) {
            throw ApiError.notFound("workspace not found");
        }
    }
}
