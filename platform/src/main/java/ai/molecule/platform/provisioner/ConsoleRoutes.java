package ai.molecule.platform.provisioner;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import io.javalin.config.RoutesConfig;

import java.util.Map;

/** GET /workspaces/:id/console (ADM): a process runtime's captured stdout/stderr. */
public final class ConsoleRoutes implements RouteModule {
    private final Provisioners provisioners;
    private final Auth auth;

    public ConsoleRoutes(Provisioners provisioners, Auth auth) {
        this.provisioners = provisioners;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/console", ctx -> {
            auth.admin(ctx);
            String output = provisioners.console(WorkspaceScope.id(ctx)).orElseThrow(() ->
                    new ApiError(501, "console output unavailable on this deployment (no control plane)"));
            ctx.json(Map.of("output", output));
        });
    }
}
