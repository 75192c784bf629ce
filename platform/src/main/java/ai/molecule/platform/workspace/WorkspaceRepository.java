package ai.molecule.platform.workspace;

import ai.molecule.platform.db.Invalidations;
import ai.molecule.platform.db.TtlCache;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads of the workspaces table; the writes with rules around them live in the services. */
public final class WorkspaceRepository {
    private final Jdbi jdbi;
    private final TtlCache<UUID, Workspace> deliverable = new TtlCache<>(Duration.ofSeconds(30));

    public WorkspaceRepository(Jdbi jdbi, Invalidations invalidations) {
        this.jdbi = jdbi;
        invalidations.register(new Invalidations.Cache() {
            @Override
            public void invalidate(String table, UUID id) {
                if (table.equals("workspaces")) deliverable.remove(id);
            }

            @Override
            public void clear() {
                deliverable.clear();
            }
        });
    }

    /**
     * The A2A proxy's read: served from a cache while the workspace is online or degraded
     * (every change to the columns that matter is a trigger notification away), read fresh
     * in every other state, where the next change is the one the caller waits for.
     */
    public Optional<Workspace> findForDelivery(UUID id) {
        return deliverable.get(id, this::find, WorkspaceRepository::steady);
    }

    private static boolean steady(Workspace w) {
        return (w.status().equals(WorkspaceStatus.ONLINE) || w.status().equals(WorkspaceStatus.DEGRADED)) && w.url() != null && !w.url().isEmpty();
    }

    public Optional<Workspace> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    public Optional<Workspace> find(Handle h, UUID id) {
        return h.createQuery("SELECT " + Workspace.COLUMNS + " FROM " + Workspace.FROM + " WHERE w.id = :id")
                .bind("id", id).map((rs, c) -> Workspace.map(rs)).findOne();
    }

    /** Every workspace not removed, oldest first (GET /workspaces). */
    public List<Workspace> listVisible() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Workspace.COLUMNS + " FROM " + Workspace.FROM
                        + " WHERE w.status <> 'removed' ORDER BY w.created_at, w.id")
                .map((rs, c) -> Workspace.map(rs)).list());
    }

    /** Non-removed workspaces with the given parent (null = roots). */
    public List<Workspace> children(UUID parentId) {
        String where = parentId == null ? "w.parent_id IS NULL" : "w.parent_id = :p";
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + Workspace.COLUMNS + " FROM " + Workspace.FROM
                    + " WHERE " + where + " AND w.status <> 'removed' ORDER BY w.created_at, w.id");
            if (parentId != null) q.bind("p", parentId); // JDBI rejects a binding the roots query does not use
            return q.map((rs, c) -> Workspace.map(rs)).list();
        });
    }
}
