package ai.molecule.platform.org;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.templates.TemplateCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code GET /org/templates}, {@code POST /org/import} (spec §1.13). */
public final class OrgRoutes implements RouteModule {
    private static final Logger log = LoggerFactory.getLogger(OrgRoutes.class);

    private final TemplateCatalog catalog;
    private final OrgImporter importer;
    private final Auth auth;
    private final Function<io.javalin.http.Context, String> platformUrl;

    public OrgRoutes(TemplateCatalog catalog, OrgImporter importer, Auth auth, Function<io.javalin.http.Context, String> platformUrl) {
        this.catalog = catalog;
        this.importer = importer;
        this.auth = auth;
        this.platformUrl = platformUrl;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/org/templates", ctx -> {
            auth.admin(ctx);
            List<Map<String, Object>> out = new ArrayList<>();
            for (var e : catalog.orgTemplates().entrySet()) {
                try {
                    OrgPlan plan = OrgPlan.of(OrgTemplateLoader.load(e.getValue()), e.getValue(), null);
                    out.add(JsonMap.of("dir", e.getKey(), "name", plan.name(), "description", plan.description(),
                            "workspaces", plan.nodes().size(), "required_env", OrgPlan.names(plan.requiredEnv()),
                            "recommended_env", OrgPlan.names(plan.recommendedEnv())));
                } catch (OrgTemplateLoader.InvalidTemplate ex) {
                    log.warn("org template {} skipped: {}", e.getKey(), ex.getMessage());
                }
            }
            ctx.json(out);
        });
        r.post("/org/import", ctx -> {
            auth.admin(ctx);
            Body b = Body.of(ctx, "invalid org template");
            String dir = b.string("dir").filter(s -> !s.isEmpty()).orElse(null);
            JsonNode inline = b.raw("template").orElse(null);
            String model = b.string("model").filter(s -> !s.isBlank()).orElse(null);
            boolean force = b.bool("force").orElse(false);
            OrgPlan plan;
            String name;
            try {
                if (dir != null) {
                    if (!TemplateCatalog.validName(dir)) throw ApiError.badRequest("invalid org directory");
                    Path folder = catalog.orgTemplate(dir).orElseThrow(() -> ApiError.notFound("org template not found: " + dir));
                    plan = OrgPlan.of(OrgTemplateLoader.load(folder), folder, model);
                    name = dir;
                } else if (inline != null) {
                    plan = OrgPlan.of(inline, null, model);
                    name = plan.name();
                } else {
                    throw ApiError.badRequest("provide 'dir' or 'template'");
                }
                ctx.status(201).json(importer.importPlan(plan, name, force, platformUrl.apply(ctx)));
            } catch (OrgTemplateLoader.InvalidTemplate e) {
                throw new ApiError(400, "invalid org template", Map.of("detail", e.getMessage()));
            }
        });
    }
}
