package ai.molecule.platform.approvals;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Human approvals (spec §1.7, agent-side §3.5): an agent files a request, a human decides it.
 * Pending requests older than {@link #EXPIRY} are denied as {@code auto-expired} whenever the
 * admin pending list is read, as upstream does.
 */
public final class ApprovalService {
    static final Duration EXPIRY = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final EventBus events;
    private final Hierarchy hierarchy;

    public ApprovalService(Jdbi jdbi, EventBus events, Hierarchy hierarchy) {
        this.jdbi = jdbi;
        this.events = events;
        this.hierarchy = hierarchy;
    }

    public record Request(String action, String taskId, String reason, ObjectNode context) {
    }

    public UUID create(UUID workspace, Request r) {
        List<UUID> chain = hierarchy.chain(workspace); // itself, then its ancestors
        if (chain.isEmpty()) throw ApiError.notFound("workspace not found");
        UUID id = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO approval_requests (workspace_id, task_id, action, reason, context)
                        VALUES (:ws, :task, :action, :reason, CAST(:context AS jsonb)) RETURNING id""")
                .bind("ws", workspace).bind("task", r.taskId()).bind("action", r.action()).bind("reason", r.reason())
                .bind("context", r.context() == null ? "{}" : Json.write(r.context()))
                .mapTo(UUID.class).one());
        events.emit("APPROVAL_REQUESTED", workspace, JsonMap.of("approval_id", id.toString(), "action", r.action(),
                "reason", r.reason(), "task_id", r.taskId()));
        if (chain.size() > 1) events.emit("APPROVAL_ESCALATED", chain.get(1), JsonMap.of("approval_id", id.toString(),
                "from_workspace_id", workspace.toString(), "action", r.action(), "reason", r.reason()));
        return id;
    }

    /** The workspace's 50 newest requests. */
    public List<Map<String, Object>> list(UUID workspace) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, task_id, action, reason, status, decided_by, decided_at, created_at
                        FROM approval_requests WHERE workspace_id = :ws ORDER BY created_at DESC, id LIMIT 50""")
                .bind("ws", workspace)
                .map((rs, c) -> JsonMap.of("id", rs.getString("id"), "task_id", rs.getString("task_id"),
                        "action", rs.getString("action"), "reason", rs.getString("reason"), "status", rs.getString("status"),
                        "decided_by", rs.getString("decided_by"), "decided_at", rs.getObject("decided_at", OffsetDateTime.class),
                        "created_at", rs.getObject("created_at", OffsetDateTime.class)))
                .list());
    }

    /** Decides a pending request of {@code workspace}; {@code decision} is approved or denied. */
    public void decide(UUID workspace, UUID approvalId, String decision, String decidedBy) {
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE approval_requests SET status = :decision, decided_by = :by, decided_at = now()
                        WHERE id = :id AND workspace_id = :ws AND status = 'pending'""")
                .bind("decision", decision).bind("by", decidedBy).bind("id", approvalId).bind("ws", workspace).execute());
        if (n == 0) throw ApiError.notFound("approval not found or already decided");
        events.emit(decision.equals("approved") ? "APPROVAL_APPROVED" : "APPROVAL_DENIED", workspace,
                JsonMap.of("approval_id", approvalId.toString(), "decision", decision, "decided_by", decidedBy));
    }

    /** Every pending request (50 oldest), after denying those pending longer than {@link #EXPIRY}. */
    public List<Map<String, Object>> pending() {
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                            UPDATE approval_requests SET status = 'denied', decided_by = 'auto-expired', decided_at = now()
                            WHERE status = 'pending' AND created_at < now() - make_interval(secs => :secs)""")
                    .bind("secs", (double) EXPIRY.toSeconds()).execute();
            return h.createQuery("""
                            SELECT a.id, a.workspace_id, w.name, a.action, a.reason, a.status, a.created_at
                            FROM approval_requests a JOIN workspaces w ON w.id = a.workspace_id
                            WHERE a.status = 'pending' ORDER BY a.created_at, a.id LIMIT 50""")
                    .map((rs, c) -> JsonMap.of("id", rs.getString("id"), "workspace_id", rs.getString("workspace_id"),
                            "workspace_name", rs.getString("name"), "action", rs.getString("action"),
                            "reason", rs.getString("reason"), "status", rs.getString("status"),
                            "created_at", rs.getObject("created_at", OffsetDateTime.class)))
                    .list();
        });
    }
}
