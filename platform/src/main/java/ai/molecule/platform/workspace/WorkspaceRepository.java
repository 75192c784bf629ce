package ai.molecule.platform.workspace;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads of the workspaces table; the writes with rules around them live in the services. */
public final class WorkspaceRepository {
    private final Jdbi jdbi;

    public WorkspaceRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
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
