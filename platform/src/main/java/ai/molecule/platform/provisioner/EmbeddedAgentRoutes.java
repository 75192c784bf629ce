package ai.molecule.platform.provisioner;

import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.runtime.a2a.A2aHttp;
import io.javalin.config.RoutesConfig;

import java.util.UUID;

/**
 * The A2A endpoints of embedded workspaces, served by the platform for outside callers:
 * POST /agents/{id} (JSON-RPC, SSE for streams) and its agent card. The platform's own proxy
 * does not come here: it calls the runtime in process.
 */
public final class EmbeddedAgentRoutes implements RouteModule {
    private final AgentDirectory directory;

    public EmbeddedAgentRoutes(AgentDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void addTo(RoutesConfig r) {
        A2aHttp.mount(r, "/agents/{id}", ctx -> {
            String id = ctx.pathParam("id");
            return Ids.valid(id) ? directory.inProcess(UUID.fromString(id)).orElse(null) : null;
        });
    }
}
