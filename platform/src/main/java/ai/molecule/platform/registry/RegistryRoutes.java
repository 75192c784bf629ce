package ai.molecule.platform.registry;

import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.workspace.Workspace;
import ai.molecule.platform.workspace.WorkspaceRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Registry, heartbeat, discovery, peers and check-access (spec §1.3). */
public final class RegistryRoutes implements RouteModule {
    private static final String BAD = "invalid request body";

    private final RegistryService registry;
    private final WorkspaceRepository workspaces;
    private final Hierarchy hierarchy;
    private final Auth auth;
    private final UrlSafety urlSafety;
    private final java.util.function.BiPredicate<UUID, String> ownUrl;

    /** {@code ownUrl}: endpoints the platform itself started for a workspace, exempt from the SSRF rules. */
    public RegistryRoutes(RegistryService registry, WorkspaceRepository workspaces, Hierarchy hierarchy, Auth auth,
                          UrlSafety urlSafety, java.util.function.BiPredicate<UUID, String> ownUrl) {
        this.ownUrl = ownUrl;
        this.registry = registry;
        this.workspaces = workspaces;
        this.hierarchy = hierarchy;
        this.auth = auth;
        this.urlSafety = urlSafety;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.post("/registry/register", this::register);
        r.post("/registry/heartbeat", this::heartbeat);
        r.post("/registry/update-card", ctx -> {
            Body b = Body.of(ctx, BAD);
            UUID id = Ids.parse(b.requiredString("workspace_id"), BAD);
            JsonNode card = b.raw("agent_card").orElseThrow(() -> ApiError.badRequest(BAD));
            auth.registry(ctx, id);
            registry.updateCard(id, card);
            ctx.json(Map.of("status", "updated"));
        });
        r.get("/registry/discover/{id}", this::discover);
        r.get("/registry/{id}/peers", this::peers);
        r.post("/registry/check-access", ctx -> {
            Body b = Body.of(ctx, BAD);
            String caller = b.requiredString("caller_id"), target = b.requiredString("target_id");
            boolean allowed = Ids.valid(caller) && Ids.valid(target)
                    && hierarchy.canCommunicate(UUID.fromString(caller), UUID.fromString(target));
            ctx.json(Map.of("allowed", allowed));
        });
    }

    private void register(Context ctx) {
        Body b = Body.of(ctx, BAD);
        UUID id = Ids.parse(b.requiredString("id"), BAD);
        String url = b.requiredString("url");
        JsonNode card = b.raw("agent_card").orElseThrow(() -> ApiError.badRequest(BAD));
        boolean authenticated = auth.registry(ctx, id);
        if (!ownUrl.test(id, url)) {
            urlSafety.registrationProblem(url).ifPresent(p -> {
                throw ApiError.badRequest("invalid agent url: " + p);
            });
        }
        Optional<String> token = registry.register(id, url, card, authenticated);
        ctx.json(token.isPresent() ? JsonMap.of("status", "registered", "auth_token", token.get())
                : Map.of("status", "registered"));
    }

    private void heartbeat(Context ctx) {
        Body b = Body.of(ctx, BAD);
        UUID id = Ids.parse(b.requiredString("workspace_id"), BAD);
        auth.registry(ctx, id);
        double rate = b.number("error_rate").orElse(0.0);
        if (rate < 0 || rate > 1) throw ApiError.badRequest("error_rate must be between 0 and 1");
        long spend = Math.min(1_000_000_000_000L, Math.max(0, b.integer("monthly_spend").orElse(0L)));
        ObjectNode meta = b.object("runtime_metadata").orElse(null);
        registry.heartbeat(new Heartbeat(id, rate, b.string("sample_error").orElse(""),
                (int) Math.max(0, b.integer("active_tasks").orElse(0L)), (int) Math.max(0, b.integer("uptime_seconds").orElse(0L)),
                b.string("current_task").orElse(""), spend, b.string("runtime_state").orElse(""), meta));
        ctx.json(Map.of("status", "ok"));
    }

    private void discover(Context ctx) {
        String callerHeader = ctx.header("X-Workspace-ID");
        if (callerHeader == null || callerHeader.isBlank()) throw ApiError.badRequest("X-Workspace-ID header is required");
        UUID caller = Ids.parse(callerHeader.trim(), "invalid X-Workspace-ID");
        auth.discoveryCaller(ctx, caller);
        UUID target = Ids.parseOrNotFound(ctx.pathParam("id"), "workspace not found");
        if (!hierarchy.canCommunicate(caller, target)) throw ApiError.forbidden("not authorized to discover this workspace");
        Workspace ws = workspaces.find(target).orElseThrow(() -> ApiError.notFound("workspace not found"));
        boolean available = (ws.status().equals("online") || ws.status().equals("degraded")) && !ws.url().isEmpty();
        if (!available) throw new ApiError(503, "workspace not available", Map.of("status", ws.status()));
        if (!ownUrl.test(ws.id(), ws.url()) && urlSafety.problem(ws.url()).isPresent()) {
            throw new ApiError(503, "workspace URL failed safety check");
        }
        ctx.json(JsonMap.of("id", ws.id().toString(), "url", ws.url(), "name", ws.name()));
    }

    /** Siblings (all other roots for a root), then children, then the parent; removed excluded. */
    private void peers(Context ctx) {
        UUID id = Ids.parseOrNotFound(ctx.pathParam("id"), "workspace not found");
        auth.discoveryCaller(ctx, id);
        Workspace self = workspaces.find(id).filter(w -> !w.status().equals("removed"))
                .orElseThrow(() -> ApiError.notFound("workspace not found"));
        List<Workspace> peers = new ArrayList<>();
        workspaces.children(self.parentId()).stream().filter(w -> !w.id().equals(id)).forEach(peers::add);
        peers.addAll(workspaces.children(id));
        if (self.parentId() != null) workspaces.find(self.parentId()).filter(w -> !w.status().equals("removed")).ifPresent(peers::add);
        String q = ctx.queryParam("q");
        String needle = q == null ? "" : q.toLowerCase(Locale.ROOT);
        ctx.json(peers.stream()
                .filter(w -> needle.isEmpty() || w.name().toLowerCase(Locale.ROOT).contains(needle)
                        || (w.role() != null && w.role().toLowerCase(Locale.ROOT).contains(needle)))
                .map(RegistryRoutes::peerJson).toList());
    }

    private static Map<String, Object> peerJson(Workspace w) {
        Map<String, Object> m = w.toPublicJson();
        return JsonMap.of("id", m.get("id"), "name", w.name(), "role", w.role(), "tier", w.tier(), "status", w.status(),
                "agent_card", m.get("agent_card"), "url", m.get("url"), "parent_id", m.get("parent_id"),
                "active_tasks", w.activeTasks());
    }
}
