package ai.molecule.platform.hierarchy;

import ai.molecule.platform.db.Invalidations;
import ai.molecule.platform.db.TtlCache;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.util.Optional;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The one place that decides who may talk to whom (spec §3.1). The A2A proxy, discovery,
 * check-access, the WebSocket filter and TEAM memory all ask here; nothing re-derives it.
 *
 * <p>Allowed: self, parent, children, siblings, root-level peers, any ancestor or descendant.
 * Denied: everything else (cousins, uncle/nephew, unrelated subtrees) and unknown ids.
 * Status is not considered, as upstream.
 */
public final class Hierarchy {
    /** Upstream walks at most 32 levels; a longer (or cyclic) chain is cut there. */
    static final int MAX_DEPTH = 32;

    private final Jdbi jdbi;
    /** Ancestor chains; any workspace change clears them all (re-parenting is rare, chains are short). */
    private final TtlCache<UUID, List<UUID>> chains = new TtlCache<>(Duration.ofSeconds(30));

    public Hierarchy(Jdbi jdbi, Invalidations invalidations) {
        this.jdbi = jdbi;
        invalidations.register(new Invalidations.Cache() {
            @Override
            public void invalidate(String table, UUID id) {
                if (table.equals("workspaces")) chains.clear();
            }

            @Override
            public void clear() {
                chains.clear();
            }
        });
    }

    public boolean canCommunicate(UUID caller, UUID target) {
        if (caller == null || target == null) return false;
        List<UUID> callerChain = chain(caller);
        if (callerChain.isEmpty()) return false;
        if (caller.equals(target)) return true;
        List<UUID> targetChain = chain(target);
        if (targetChain.isEmpty()) return false;
        return allowed(callerChain, targetChain);
    }

    /**
     * The rule itself over two ancestor chains, each starting with the workspace itself and
     * followed by its parent, grandparent... up to the root.
     */
    static boolean allowed(List<UUID> caller, List<UUID> target) {
        UUID c = caller.get(0), t = target.get(0);
        if (c.equals(t)) return true;
        UUID cParent = caller.size() > 1 ? caller.get(1) : null;
        UUID tParent = target.size() > 1 ? target.get(1) : null;
        if (cParent == null && tParent == null) return true;          // both roots
        if (cParent != null && Objects.equals(cParent, tParent)) return true; // siblings
        return target.contains(c) || caller.contains(t);               // ancestor / descendant
    }

    /** The workspace followed by its ancestors; empty when the id is unknown. */
    public List<UUID> chain(UUID id) {
        return chains.get(id, k -> Optional.of(load(k)).filter(c -> !c.isEmpty())).orElse(List.of());
    }

    private List<UUID> load(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        WITH RECURSIVE up(id, parent_id, depth) AS (
                            SELECT id, parent_id, 0 FROM workspaces WHERE id = :id
                            UNION ALL
                            SELECT w.id, w.parent_id, up.depth + 1
                            FROM workspaces w JOIN up ON w.id = up.parent_id
                            WHERE up.depth < :max)
                        SELECT id FROM up ORDER BY depth""")
                .bind("id", id)
                .bind("max", MAX_DEPTH)
                .mapTo(UUID.class)
                .collect(java.util.stream.Collectors.toUnmodifiableList()));
    }

    /** The workspace and every descendant below it (cycle-safe). */
    public List<UUID> subtree(UUID root) {
        return jdbi.withHandle(h -> h.createQuery("""
                        WITH RECURSIVE down(id, depth) AS (
                            SELECT id, 0 FROM workspaces WHERE id = :id
                            UNION
                            SELECT w.id, down.depth + 1 FROM workspaces w JOIN down ON w.parent_id = down.id
                            WHERE down.depth < 1000)
                        SELECT DISTINCT id FROM down""")
                .bind("id", root)
                .mapTo(UUID.class)
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
    }
}
