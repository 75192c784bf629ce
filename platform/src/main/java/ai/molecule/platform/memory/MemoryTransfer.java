package ai.molecule.platform.memory;

import ai.molecule.platform.http.JsonMap;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Admin export and import of every scoped memory (spec §1.6). Workspaces are matched by
 * name, since ids differ between installs; a row already present (same workspace, content
 * and scope) is skipped, so importing twice changes nothing.
 */
public final class MemoryTransfer {
    private final Jdbi jdbi;

    public MemoryTransfer(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Map<String, Object>> export() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT m.id, m.content, m.scope, m.namespace, m.created_at, w.name
                        FROM agent_memories m JOIN workspaces w ON w.id = m.workspace_id
                        ORDER BY m.created_at, m.id""")
                .map((rs, c) -> JsonMap.of("id", rs.getString("id"), "content", SecretRedactor.redact(rs.getString("content")),
                        "scope", rs.getString("scope"), "namespace", rs.getString("namespace"),
                        "created_at", rs.getObject("created_at", OffsetDateTime.class), "workspace_name", rs.getString("name")))
                .list());
    }

    /** Imports {@code rows} (a JSON array, checked by the route); returns the counts. */
    public Map<String, Object> importAll(JsonNode rows) {
        int imported = 0, skipped = 0, errors = 0;
        for (JsonNode row : rows) {
            switch (importOne(row)) {
                case IMPORTED -> imported++;
                case SKIPPED -> skipped++;
                case ERROR -> errors++;
            }
        }
        return JsonMap.of("imported", imported, "skipped", skipped, "errors", errors, "total", rows.size());
    }

    private enum Outcome { IMPORTED, SKIPPED, ERROR }

    private Outcome importOne(JsonNode row) {
        String content = text(row, "content"), scope = text(row, "scope"), name = text(row, "workspace_name");
        String namespace = Optional.ofNullable(text(row, "namespace")).filter(s -> !s.isEmpty()).orElse("general");
        if (content == null || content.isEmpty() || name == null || !MemoryService.SCOPES.contains(scope)
                || namespace.length() > MemoryService.MAX_NAMESPACE) {
            return Outcome.ERROR;
        }
        OffsetDateTime created;
        try {
            created = text(row, "created_at") == null ? OffsetDateTime.now() : OffsetDateTime.parse(text(row, "created_at"));
        } catch (DateTimeParseException e) {
            return Outcome.ERROR;
        }
        Optional<UUID> ws = jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM workspaces WHERE name = :name AND status <> 'removed' ORDER BY created_at, id LIMIT 1""")
                .bind("name", name).mapTo(UUID.class).findOne());
        if (ws.isEmpty()) return Outcome.ERROR;
        String redacted = SecretRedactor.redact(content);
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO agent_memories (workspace_id, content, scope, namespace, created_at)
                        SELECT :ws, :content, :scope, :ns, :created
                        WHERE NOT EXISTS (SELECT 1 FROM agent_memories
                                          WHERE workspace_id = :ws AND content = :content AND scope = :scope)""")
                .bind("ws", ws.get()).bind("content", redacted).bind("scope", scope).bind("ns", namespace)
                .bind("created", created).execute());
        return n == 1 ? Outcome.IMPORTED : Outcome.SKIPPED;
    }

    private static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
