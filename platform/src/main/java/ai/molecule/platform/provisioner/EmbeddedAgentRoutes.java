package ai.molecule.platform.provisioner;

import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.runtime.a2a.A2aHttp;
import io.javalin.config.RoutesConfig;

import java.util.UUID;

/**
 * The agent cards of embedded workspaces, at the URL they register ({@code /agents/{id}}).
 * POST to that URL is served by {@code A2aRoutes} through the proxy, with the same auth,
 * hierarchy rule, budget, capacity and activity log as {@code /workspaces/{id}/a2a}.
 */
public final class EmbeddedAgentRoutes implements RouteModule {
    private final AgentDirectory directory;

    public EmbeddedAgentRoutes(AgentDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void addTo(RoutesConfig r) {
        A2aHttp.mountCard(r, "/agents/{id}", ctx -> {
            String id = ctx.pathParam("id");
            return Ids.valid(id) ? directory.inProcess(UUID.fromString(id)).orElse(null) : null;
        });
    }
}
