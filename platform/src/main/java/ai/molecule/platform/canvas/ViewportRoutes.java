package ai.molecule.platform.canvas;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import io.javalin.config.RoutesConfig;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.UUID;

/** The canvas viewport, one row (spec §1.17). */
public final class ViewportRoutes implements RouteModule {
    private static final UUID ROW = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final String BAD = "invalid viewport data";

    private final Jdbi jdbi;
    private final Auth auth;

    public ViewportRoutes(Jdbi jdbi, Auth auth) {
        this.jdbi = jdbi;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/canvas/viewport", ctx -> ctx.json(jdbi.withHandle(h -> h.createQuery(
                        "SELECT coalesce(x, 0) AS x, coalesce(y, 0) AS y, coalesce(zoom, 1) AS zoom FROM canvas_viewport WHERE id = :id")
                .bind("id", ROW)
                .map((rs, c) -> JsonMap.of("x", rs.getDouble("x"), "y", rs.getDouble("y"), "zoom", rs.getDouble("zoom")))
                .findOne()
                .orElse(JsonMap.of("x", 0.0, "y", 0.0, "zoom", 1.0)))));
        r.put("/canvas/viewport", ctx -> {
            auth.canvasOrBearer(ctx);
            Body b = Body.of(ctx, BAD);
            double x = b.number("x").orElseThrow(() -> ApiError.badRequest(BAD));
            double y = b.number("y").orElseThrow(() -> ApiError.badRequest(BAD));
            double zoom = b.number("zoom").orElseThrow(() -> ApiError.badRequest(BAD));
            if (zoom <= 0 || !Double.isFinite(zoom) || !Double.isFinite(x) || !Double.isFinite(y)) throw ApiError.badRequest(BAD);
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO canvas_viewport (id, x, y, zoom, saved_at) VALUES (:id, :x, :y, :zoom, now())
                            ON CONFLICT (id) DO UPDATE SET x = excluded.x, y = excluded.y, zoom = excluded.zoom, saved_at = now()""")
                    .bind("id", ROW).bind("x", x).bind("y", y).bind("zoom", zoom).execute());
            ctx.json(Map.of("status", "saved"));
        });
    }
}
