package ai.molecule.platform.memory;

import ai.molecule.platform.activity.ActivityService;
import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scoped agent memories (spec §1.6, agent-side §3.3). LOCAL is the writer's own; TEAM is read
 * by the writer's parent, children and siblings (each also allowed by {@link Hierarchy}); GLOBAL
 * is written only by roots and read by all, wrapped in a delimiter so an agent can tell it
 * from its own words. Content is redacted before it is stored. Search is Postgres full text
 * over the generated {@code content_tsv} column (GIN index), ranked by relevance.
 */
public final class MemoryService {
    public static final List<String> SCOPES = List.of("LOCAL", "TEAM", "GLOBAL");
    public static final int MAX_NAMESPACE = 50;

    private final Jdbi jdbi;
    private final Hierarchy hierarchy;
    private final ActivityService activity;

    public MemoryService(Jdbi jdbi, Hierarchy hierarchy, ActivityService activity) {
        this.jdbi = jdbi;
        this.hierarchy = hierarchy;
        this.activity = activity;
    }

    public record Stored(UUID id, String scope, String namespace) {
    }

    /** Stores a memory of {@code workspace}; scope and namespace were validated by the route. */
    public Stored commit(UUID workspace, String content, String scope, String namespace) {
        List<UUID> chain = hierarchy.chain(workspace); // itself, then its ancestors
        if (chain.isEmpty()) throw ApiError.notFound("workspace not found");
        String text = SecretRedactor.redact(content);
        if (scope.equals("GLOBAL")) {
            if (chain.size() > 1) throw ApiError.forbidden("only root workspaces can write GLOBAL memories");
            text = text.replace("[MEMORY ", "[_MEMORY "); // no forged delimiters in what everyone reads
        }
        String stored = text;
        UUID id = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO agent_memories (workspace_id, content, scope, namespace)
                        VALUES (:ws, :content, :scope, :ns) RETURNING id""")
                .bind("ws", workspace).bind("content", stored).bind("scope", scope).bind("ns", namespace)
                .mapTo(UUID.class).one());
        if (scope.equals("GLOBAL")) {
            activity.insert(new ActivityService.Entry(workspace, "memory_write_global", null, null, null,
                    "GLOBAL memory written", Json.MAPPER.valueToTree(JsonMap.of("memory_id", id.toString(),
                    "namespace", namespace, "content_sha256", sha256(stored))), null, null, null, "ok", null));
        }
        return new Stored(id, scope, namespace);
    }

    /** A search: scope null = all of the caller's own rows; q null or empty = newest first. */
    public record Query(String scope, String q, String namespace, int limit) {
    }

    public List<Map<String, Object>> search(UUID caller, Query query) {
        String where = switch (query.scope() == null ? "" : query.scope()) {
            case "LOCAL" -> "m.workspace_id = :ws AND m.scope = 'LOCAL'";
            case "TEAM" -> "m.scope = 'TEAM' AND m.workspace_id = ANY(:writers)";
            case "GLOBAL" -> "m.scope = 'GLOBAL'";
            default -> "m.workspace_id = :ws";
        };
        String q = query.q() == null ? "" : query.q().trim();
        String match = q.length() >= 2 ? " AND m.content_tsv @@ plainto_tsquery('english', :q)"
                : q.length() == 1 ? " AND m.content ILIKE :like ESCAPE '\\'" : "";
        String order = q.length() >= 2
                ? " ORDER BY ts_rank(m.content_tsv, plainto_tsquery('english', :q)) DESC, m.created_at DESC"
                : " ORDER BY m.created_at DESC";
        UUID[] writers = "TEAM".equals(query.scope()) ? teamWriters(caller) : new UUID[0];
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT m.id, m.workspace_id, m.content, m.scope, m.namespace, m.created_at FROM agent_memories m WHERE "
                                + where + match + " AND (CAST(:ns AS text) IS NULL OR m.namespace = :ns)" + order + " LIMIT :limit")
                .configure(SqlStatements.class, s -> s.setUnusedBindingAllowed(true))
                .bind("ws", caller).bind("writers", writers).bind("q", q).bind("like", "%" + escapeLike(q) + "%")
                .bind("ns", query.namespace()).bind("limit", query.limit())
                .map((rs, c) -> {
                    String scope = rs.getString("scope");
                    String content = rs.getString("content");
                    if ("GLOBAL".equals(scope)) {
                        content = "[MEMORY id=" + rs.getString("id") + " scope=GLOBAL from=" + rs.getString("workspace_id") + "]: " + content;
                    }
                    return JsonMap.of("id", rs.getString("id"), "workspace_id", rs.getString("workspace_id"),
                            "content", content, "scope", scope, "namespace", rs.getString("namespace"),
                            "created_at", rs.getObject("created_at", OffsetDateTime.class));
                }).list());
    }

    /**
     * Whose TEAM memories the caller reads: itself, its parent, its siblings and its children
     * (not removed), each confirmed by the hierarchy rule.
     */
    private UUID[] teamWriters(UUID caller) {
        List<UUID> candidates = jdbi.withHandle(h -> h.createQuery("""
                        SELECT w.id FROM workspaces w, (SELECT id, parent_id FROM workspaces WHERE id = :ws) me
                        WHERE w.status <> 'removed'
                          AND (w.id = me.id OR w.id = me.parent_id OR w.parent_id = me.id OR w.parent_id = me.parent_id)""")
                .bind("ws", caller).mapTo(UUID.class).list());
        return candidates.stream().filter(w -> hierarchy.canCommunicate(caller, w)).toArray(UUID[]::new);
    }

    public void delete(UUID workspace, UUID memoryId) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM agent_memories WHERE id = :id AND workspace_id = :ws")
                .bind("id", memoryId).bind("ws", workspace).execute());
        if (n == 0) throw ApiError.notFound("memory not found or not owned by this workspace");
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
