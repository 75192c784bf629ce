package ai.molecule.platform.plugins;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Plugins (spec §1.15) and the org plugin allowlist (spec §1.13). */
public final class PluginRoutes implements RouteModule {
    static final int MAX_INSTALL_BODY = 64 * 1024;

    private final PluginService plugins;
    private final PluginAllowlist allowlist;
    private final WorkspaceScope scope;
    private final Auth auth;

    public PluginRoutes(PluginService plugins, PluginAllowlist allowlist, WorkspaceScope scope) {
        this.plugins = plugins;
        this.allowlist = allowlist;
        this.scope = scope;
        this.auth = scope.auth();
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/plugins", ctx -> ctx.json(plugins.list(ctx.queryParam("runtime"))));
        r.get("/plugins/sources", ctx -> ctx.json(JsonMap.of("schemes", List.of("local"))));
        r.get("/workspaces/{id}/plugins", ctx -> ctx.json(plugins.installed(scope.authorize(ctx))));
        r.get("/workspaces/{id}/plugins/available", ctx -> ctx.json(plugins.available(scope.authorize(ctx))));
        r.get("/workspaces/{id}/plugins/compatibility", ctx -> {
            UUID id = scope.authorize(ctx);
            ctx.json(plugins.compatibility(id, ctx.queryParam("runtime")));
        });
        r.post("/workspaces/{id}/plugins", ctx -> {
            UUID id = scope.authorize(ctx);
            if (ctx.body().length() > MAX_INSTALL_BODY) throw new ApiError(413, "request body too large (max 64 KiB)");
            Body b = Body.of(ctx, "invalid request body");
            ctx.json(plugins.install(id, b.string("source").orElse(null), b.string("sha256").filter(s -> !s.isEmpty()).orElse(null)));
        });
        r.delete("/workspaces/{id}/plugins/{name}", ctx ->
                ctx.json(plugins.uninstall(scope.authorize(ctx), ctx.pathParam("name"))));
        r.get("/workspaces/{id}/plugins/{name}/download", ctx -> {
            UUID id = scope.authorize(ctx);
            auth.ownTokenIfAny(ctx, id);
            PluginManifest plugin = plugins.forDownload(id, ctx.pathParam("name"), ctx.queryParam("source"));
            ctx.res().setCharacterEncoding(null); // binary: no "; charset=" on the type
            ctx.contentType("application/gzip");
            ctx.header("Content-Disposition", "attachment; filename=\"" + plugin.name() + ".tar.gz\"");
            ctx.header("X-Plugin-Name", plugin.name());
            ctx.header("X-Plugin-Source", PluginSource.LOCAL + plugin.name());
            PluginService.tarball(plugin, ctx.outputStream());
        });
        r.get("/orgs/{id}/plugins/allowlist", ctx -> {
            auth.admin(ctx);
            ctx.json(allowlist.get(orgId(ctx)));
        });
        r.put("/orgs/{id}/plugins/allowlist", ctx -> {
            auth.admin(ctx);
            UUID org = orgId(ctx);
            Body b = Body.of(ctx, "invalid request body");
            String enabledBy = b.string("enabled_by").filter(s -> !s.isBlank())
                    .orElseThrow(() -> ApiError.badRequest("enabled_by is required"));
            if (enabledBy.length() > 200) throw ApiError.badRequest("enabled_by too long (max 200 characters)");
            ctx.json(allowlist.put(org, names(b), enabledBy));
        });
    }

    private static UUID orgId(io.javalin.http.Context ctx) {
        String raw = ctx.pathParam("id");
        if (!Ids.valid(raw)) throw ApiError.notFound("org not found");
        return UUID.fromString(raw);
    }

    private static List<String> names(Body b) {
        JsonNode list = b.raw("plugins").orElseThrow(() -> ApiError.badRequest("plugins must be a list of names"));
        if (!list.isArray()) throw ApiError.badRequest("plugins must be a list of names");
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) {
            if (!n.isTextual()) throw ApiError.badRequest("plugins must be a list of names");
            out.add(n.textValue());
        }
        return out;
    }
}
