package ai.molecule.platform.health;

import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.HttpMetrics;
import ai.molecule.platform.http.RouteModule;
import io.javalin.config.RoutesConfig;

import java.util.Map;

/** /health, /metrics and /admin/liveness (spec §1.1). */
public final class HealthRoutes implements RouteModule {
    private final HttpMetrics metrics;
    private final Subsystems subsystems;
    private final Auth auth;

    public HealthRoutes(HttpMetrics metrics, Subsystems subsystems, Auth auth) {
        this.metrics = metrics;
        this.subsystems = subsystems;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/admin/liveness", ctx -> {
            auth.admin(ctx);
            ctx.json(subsystems.report());
        });
    }
}
