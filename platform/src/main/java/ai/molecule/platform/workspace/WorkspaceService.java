package ai.molecule.platform.workspace;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.provisioner.Provisioner;
import ai.molecule.platform.tokens.TokenService;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Patch, delete and state of workspaces; creation lives in {@link WorkspaceCreator}. */
public final class WorkspaceService {
    private final Jdbi jdbi;
    private final WorkspaceRepository repo;
    private final Hierarchy hierarchy;
    private final TokenService tokens;
    private final EventBus events;
    private final Provisioner provisioner;

    public WorkspaceService(Jdbi jdbi, WorkspaceRepository repo, Hierarchy hierarchy, TokenService tokens,
                            EventBus events, Provisioner provisioner) {
        this.jdbi = jdbi;
        this.repo = repo;
        this.hierarchy = hierarchy;
        this.tokens = tokens;
        this.events = events;
        this.provisioner = provisioner;
    }

    public record Patch(String name, String role, Integer tier, boolean parentSet, UUID parentId, Boolean collapsed,
                        String runtime, boolean dirSet, String workspaceDir, Double x, Double y) {
    }

    /** Applies a PATCH; returns true when the runtime must restart to see the change. */
    public boolean patch(UUID id, Patch p) {
        Workspace ws = repo.find(id).filter(w -> !w.status().equals(WorkspaceStatus.REMOVED))
                .orElseThrow(() -> ApiError.notFound("workspace not found"));
        if (p.parentSet() && p.parentId() != null) checkNewParent(ws.id(), p.parentId());
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            UPDATE workspaces SET
                              name = coalesce(:name, name), role = coalesce(:role, role), tier = coalesce(:tier, tier),
                              runtime = coalesce(:runtime, runtime),
                              parent_id = CASE WHEN :parentSet THEN :parent ELSE parent_id END,
                              workspace_dir = CASE WHEN :dirSet THEN :dir ELSE workspace_dir END,
                              updated_at = now()
                            WHERE id = :id""")
                    .bind("name", p.name()).bind("role", p.role()).bind("tier", p.tier()).bind("runtime", p.runtime())
                    .bind("parentSet", p.parentSet()).bind("parent", p.parentId())
                    .bind("dirSet", p.dirSet()).bind("dir", p.workspaceDir()).bind("id", id)
                    .execute();
            if (p.x() != null || p.collapsed() != null) {
                h.createUpdate("""
                                INSERT INTO canvas_layouts (workspace_id, x, y, collapsed)
                                VALUES (:id, coalesce(:x, 0), coalesce(:y, 0), coalesce(:collapsed, false))
                                ON CONFLICT (workspace_id) DO UPDATE SET
                                  x = coalesce(:x, canvas_layouts.x), y = coalesce(:y, canvas_layouts.y),
                                  collapsed = coalesce(:collapsed, canvas_layouts.collapsed)""")
                        .bind("id", id).bind("x", p.x()).bind("y", p.y()).bind("collapsed", p.collapsed())
                        .execute();
            }
        });
        announce(id, p);
        return p.dirSet();
    }

    /**
     * Every open canvas follows a PATCH live. Spec §5 has no update event: a move or re-parent is
     * WORKSPACE_MOVED (the name upstream's docs give it), any other visible change WORKSPACE_UPDATED;
     * each carries only the fields the PATCH set (workspace_dir stays private).
     */
    private void announce(UUID id, Patch p) {
        Map<String, Object> moved = new LinkedHashMap<>();
        if (p.parentSet()) moved.put("parent_id", p.parentId() == null ? null : p.parentId().toString());
        if (p.x() != null) {
            moved.put("x", p.x());
            moved.put("y", p.y());
        }
        Map<String, Object> updated = new LinkedHashMap<>();
        if (p.name() != null) updated.put("name", p.name());
        if (p.role() != null) updated.put("role", p.role());
        if (p.tier() != null) updated.put("tier", p.tier());
        if (p.runtime() != null) updated.put("runtime", p.runtime());
        if (p.collapsed() != null) updated.put("collapsed", p.collapsed());
        if (!moved.isEmpty()) events.emit(EventTypes.WORKSPACE_MOVED, id, moved);
        if (!updated.isEmpty()) events.emit(EventTypes.WORKSPACE_UPDATED, id, updated);
    }

    /** Upstream has no cycle check; a cycle would hide a subtree from every walk, so refuse it. */
    private void checkNewParent(UUID id, UUID parentId) {
        if (parentId.equals(id)) throw ApiError.badRequest("a workspace cannot be its own parent");
        if (repo.find(parentId).filter(w -> !w.status().equals(WorkspaceStatus.REMOVED)).isEmpty()) {
            throw ApiError.badRequest("parent workspace not found");
        }
        if (hierarchy.chain(parentId).contains(id)) {
            throw ApiError.badRequest("parent_id would create a cycle: the new parent is inside this workspace's subtree");
        }
    }

    /**
     * Soft-deletes the workspace and its whole subtree (or purges the rows): tokens revoked,
     * URLs cleared, schedules disabled, runtimes stopped, one WORKSPACE_REMOVED each.
     */
    public Map<String, Object> delete(UUID id, boolean confirm, boolean purge) {
        List<Workspace> children = repo.children(id);
        if (!children.isEmpty() && !confirm) {
            throw ApiError.withBody(409, JsonMap.of(
                    "status", "confirmation_required",
                    "message", "This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete.",
                    "children", children.stream().map(c -> JsonMap.of("id", c.id().toString(), "name", c.name())).toList(),
                    "children_count", children.size()));
        }
        List<UUID> subtree = hierarchy.subtree(id);
        List<UUID> removed = jdbi.inTransaction(h -> {
            if (subtree.isEmpty()) return List.<UUID>of();
            List<UUID> live = h.createQuery("""
                            UPDATE workspaces SET status = 'removed', url = '', updated_at = now()
                            WHERE id IN (<ids>) AND status <> 'removed' RETURNING id""")
                    .bindList("ids", subtree).mapTo(UUID.class).list();
            tokens.revokeAll(h, subtree);
            h.createUpdate("UPDATE workspace_schedules SET enabled = false WHERE workspace_id IN (<ids>)")
                    .bindList("ids", subtree).execute();
            if (purge) {
                h.createUpdate("DELETE FROM workspaces WHERE id IN (<ids>)").bindList("ids", subtree).execute();
            }
            return live;
        });
        for (UUID ws : removed) provisioner.stop(ws);
        int cascade = (int) removed.stream().filter(w -> !w.equals(id)).count();
        for (UUID ws : removed) {
            if (!ws.equals(id)) events.emit(EventTypes.WORKSPACE_REMOVED, ws, Map.of());
        }
        if (removed.contains(id)) events.emit(EventTypes.WORKSPACE_REMOVED, id, Map.of("cascade_deleted", cascade));
        return JsonMap.of("status", purge ? "purged" : "removed", "cascade_deleted", cascade);
    }

    public Map<String, Object> state(UUID id) {
        Workspace ws = repo.find(id).orElse(null);
        if (ws == null) throw ApiError.withBody(404, JsonMap.of("workspace_id", id.toString(), "deleted", true));
        if (ws.status().equals(WorkspaceStatus.REMOVED)) {
            throw ApiError.withBody(404, JsonMap.of("workspace_id", id.toString(), "status", "removed", "deleted", true));
        }
        return JsonMap.of("workspace_id", id.toString(), "status", ws.status(),
                "paused", ws.status().equals(WorkspaceStatus.PAUSED), "deleted", false);
    }
}
