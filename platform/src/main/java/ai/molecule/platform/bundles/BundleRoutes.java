package ai.molecule.platform.bundles;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.UUID;
import java.util.function.Function;

/**
 * Bundles (spec §1.13): export, import, and ours: {@code ?parent_id=} / {@code ?name=} on
 * import, and {@code POST /bundles/duplicate/:id} (export + import next to the original).
 */
public final class BundleRoutes implements RouteModule {
    private final BundleExporter exporter;
    private final BundleImporter importer;
    private final Auth auth;
    private final Function<Context, String> platformUrl;

    public BundleRoutes(BundleExporter exporter, BundleImporter importer, Auth auth, Function<Context, String> platformUrl) {
        this.exporter = exporter;
        this.importer = importer;
        this.auth = auth;
        this.platformUrl = platformUrl;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/bundles/export/{id}", ctx -> {
            auth.admin(ctx);
            UUID id = Ids.parseOrNotFound(ctx.pathParam("id"), "bundle not found");
            ctx.header("Content-Disposition", "attachment; filename=\"bundle-" + id + ".json\"");
            ctx.json(exporter.export(id));
        });
        r.post("/bundles/import", ctx -> {
            auth.admin(ctx);
            JsonNode bundle;
            try {
                bundle = Json.MAPPER.readTree(ctx.body());
            } catch (Exception e) {
                throw new ApiError(400, "invalid bundle");
            }
            UUID parent = ctx.queryParam("parent_id") == null ? null : Ids.parse(ctx.queryParam("parent_id"), "invalid parent_id");
            String name = ctx.queryParam("name");
            ctx.status(201).json(importer.importBundle(bundle, parent, name == null || name.isBlank() ? null : name,
                    platformUrl.apply(ctx)));
        });
        r.post("/bundles/duplicate/{id}", ctx -> {
            auth.admin(ctx);
            UUID id = WorkspaceScope.id(ctx);
            JsonNode bundle = exporter.export(id);
            UUID parent = ctx.queryParam("parent_id") != null ? Ids.parse(ctx.queryParam("parent_id"), "invalid parent_id")
                    : exporter.parentOf(id);
            String name = ctx.queryParam("name");
            ctx.status(201).json(importer.importBundle(bundle, parent,
                    name == null || name.isBlank() ? bundle.get("name").asText() + " (copy)" : name, platformUrl.apply(ctx)));
        });
    }
}
