package ai.molecule.platform.memory;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.QueryParams;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;

import java.util.UUID;

/** Scoped memories and the admin export / import (spec §1.6). */
public final class MemoryRoutes implements RouteModule {
    private static final String BAD = "invalid request body";

    private final MemoryService memories;
    private final MemoryTransfer transfer;
    private final WorkspaceScope scope;

    public MemoryRoutes(MemoryService memories, MemoryTransfer transfer, WorkspaceScope scope) {
        this.memories = memories;
        this.transfer = transfer;
        this.scope = scope;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.post("/workspaces/{id}/memories", ctx -> {
            UUID ws = scope.authorize(ctx);
            Body b = Body.of(ctx, BAD);
            String content = b.requiredString("content");
            String memoryScope = b.requiredString("scope");
            if (!MemoryService.SCOPES.contains(memoryScope)) throw ApiError.badRequest("scope must be LOCAL, TEAM, or GLOBAL");
            String namespace = b.string("namespace").filter(s -> !s.isEmpty()).orElse("general");
            if (namespace.length() > MemoryService.MAX_NAMESPACE) throw ApiError.badRequest("namespace must be <= 50 characters");
            MemoryService.Stored s = memories.commit(ws, content, memoryScope, namespace);
            ctx.status(201).json(JsonMap.of("id", s.id().toString(), "scope", s.scope(), "namespace", s.namespace()));
        });
        r.get("/workspaces/{id}/memories", ctx -> {
            UUID ws = scope.authorize(ctx);
            String memoryScope = ctx.queryParam("scope");
            if (memoryScope != null && !memoryScope.isEmpty() && !MemoryService.SCOPES.contains(memoryScope)) {
                throw ApiError.badRequest("scope must be LOCAL, TEAM, or GLOBAL");
            }
            String namespace = ctx.queryParam("namespace");
            ctx.json(memories.search(ws, new MemoryService.Query(memoryScope == null || memoryScope.isEmpty() ? null : memoryScope,
                    ctx.queryParam("q"), namespace == null || namespace.isEmpty() ? null : namespace,
                    QueryParams.limit(ctx, 50, 50))));
        });
        r.delete("/workspaces/{id}/memories/{memoryId}", ctx -> {
            UUID ws = scope.authorize(ctx);
            String raw = ctx.pathParam("memoryId");
            if (!Ids.valid(raw)) throw ApiError.notFound("memory not found or not owned by this workspace");
            memories.delete(ws, UUID.fromString(raw));
            ctx.json(JsonMap.of("status", "deleted"));
        });
        r.get("/admin/memories/export", ctx -> {
            scope.auth().admin(ctx);
            ctx.json(transfer.export());
        });
        r.post("/admin/memories/import", ctx -> {
            scope.auth().admin(ctx);
            JsonNode rows;
            try {
                rows = Json.MAPPER.readTree(ctx.body());
            } catch (Exception e) {
                throw ApiError.badRequest(BAD);
            }
            if (rows == null || !rows.isArray()) throw ApiError.badRequest(BAD);
            ctx.json(transfer.importAll(rows));
        });
    }
}
