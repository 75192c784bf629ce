package ai.molecule.platform.a2a;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Platform-executed delegations (spec §1.9): a {@code delegate} activity row on the
 * source tracks the task through pending → dispatched → queued → completed | failed, with a
 * DELEGATION_* event at each step; the result lands in a {@code delegate_result} row.
 */
public final class DelegationService {
    private static final Logger log = LoggerFactory.getLogger(DelegationService.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(8);

    private final Jdbi jdbi;
    private final EventBus events;
    private final A2aProxy proxy;
    private final Hierarchy hierarchy;

    public DelegationService(Jdbi jdbi, EventBus events, A2aProxy proxy, Hierarchy hierarchy) {
        this.jdbi = jdbi;
        this.events = events;
        this.proxy = proxy;
        this.hierarchy = hierarchy;
        proxy.onDelivered(this::stitchQueued);
    }

    public record Started(UUID delegationId, String status, boolean idempotentHit) {
    }

    public Started delegate(UUID source, UUID target, String task, String idempotencyKey) {
        if (source.equals(target)) throw ApiError.badRequest("self-delegation not permitted");
        if (idempotencyKey != null) {
            Optional<Started> existing = replay(source, idempotencyKey);
            if (existing.isPresent()) return existing.get();
        }
        UUID delegationId = UUID.randomUUID();
        insertRow(source, target, "delegate", "pending", task, delegationId, idempotencyKey);
        events.emit("DELEGATION_SENT", source, JsonMap.of("delegation_id", delegationId.toString(),
                "target_id", target.toString(), "task_preview", preview(task, 100)));
        Thread.startVirtualThread(() -> run(source, target, task, delegationId));
        return new Started(delegationId, "delegated", false);
    }

    /** Same (source, key): the existing delegation, unless it failed, in which case it runs again. */
    private Optional<Started> replay(UUID source, String key) {
        record Row(UUID id, String status, String delegationId) {
        }
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, status, request_body->>'delegation_id' AS did FROM activity_logs
                        WHERE workspace_id = :ws AND idempotency_key = :key""")
                .bind("ws", source).bind("key", key)
                .map((rs, c) -> new Row(rs.getObject("id", UUID.class), rs.getString("status"), rs.getString("did"))).findOne());
        if (row.isEmpty()) return Optional.empty();
        if (row.get().status().equals("failed")) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM activity_logs WHERE id = :id").bind("id", row.get().id()).execute());
            return Optional.empty();
        }
        return Optional.of(new Started(UUID.fromString(row.get().delegationId()), row.get().status(), true));
    }

    private void run(UUID source, UUID target, String task, UUID delegationId) {
        setStatus(source, delegationId, "dispatched", null);
        events.emit("DELEGATION_STATUS", source, status(delegationId, target, "dispatched"));
        // the source is the caller, so the proxy route's hierarchy rule applies (spec §1.9)
        if (!hierarchy.canCommunicate(source, target)) {
            fail(source, target, delegationId, "access denied: workspaces cannot communicate per hierarchy rules");
            return;
        }
        ObjectNode rpc = message(task, delegationId);
        for (int attempt = 1; ; attempt++) {
            try {
                ProxyResult r = proxy.forward(target, source, rpc, A2aProxy.AGENT_CEILING, null);
                if (!(r instanceof ProxyResult.Replied)) { // queued, or left for a polling agent
                    setStatus(source, delegationId, "queued", null);
                    events.emit("DELEGATION_STATUS", source, status(delegationId, target, "queued"));
                } else {
                    complete(source, target, delegationId, JsonRpc.replyText(((ProxyResult.Replied) r).body()), null);
                }
                return;
            } catch (ApiError e) {
                boolean retryable = e.status() == 502 || (e.status() == 503 && Boolean.TRUE.equals(e.body().get("restarting")));
                if (retryable && attempt == 1) {
                    sleep(RETRY_AFTER);
                    continue;
                }
                fail(source, target, delegationId, e.getMessage());
                return;
            } catch (RuntimeException e) {
                log.warn("delegation {} failed", delegationId, e);
                fail(source, target, delegationId, e.toString());
                return;
            }
        }
    }

    static ObjectNode message(String task, UUID delegationId) {
        ObjectNode rpc = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", delegationId.toString())
                .put("method", "message/send");
        ObjectNode msg = rpc.putObject("params").putObject("message");
        msg.put("role", "user").put("messageId", delegationId.toString());
        msg.putArray("parts").addObject().put("kind", "text").put("text", task);
        msg.putObject("metadata").put("delegation_id", delegationId.toString());
        return rpc;
    }

    /** A queued delegation answered later by the queue drain: close it as completed. */
    private void stitchQueued(UUID target, ObjectNode request, String replyBody) {
        String did = request.path("params").path("message").path("metadata").path("delegation_id").asText("");
        if (did.isEmpty()) return;
        Optional<UUID> source = jdbi.withHandle(h -> h.createQuery("""
                        SELECT workspace_id FROM activity_logs
                        WHERE method = 'delegate' AND status = 'queued' AND request_body->>'delegation_id' = :did""")
                .bind("did", did).mapTo(UUID.class).findOne());
        source.ifPresent(s -> complete(s, target, UUID.fromString(did), JsonRpc.replyText(replyBody), "queue_drain"));
    }

    private void complete(UUID source, UUID target, UUID delegationId, String text, String via) {
        setStatus(source, delegationId, "completed", JsonMap.of("text", text, "delegation_id", delegationId.toString()));
        insertResult(source, target, delegationId, "completed", text, null);
        Map<String, Object> payload = JsonMap.of("delegation_id", delegationId.toString(), "target_id", target.toString(),
                "response_preview", preview(text, 200));
        if (via != null) payload.put("via", via);
        events.emit("DELEGATION_COMPLETE", source, payload);
    }

    private void fail(UUID source, UUID target, UUID delegationId, String error) {
        setStatus(source, delegationId, "failed", null);
        insertResult(source, target, delegationId, "failed", null, error);
        events.emit("DELEGATION_FAILED", source, JsonMap.of("delegation_id", delegationId.toString(),
                "target_id", target.toString(), "error", error));
    }

    /** An agent-initiated delegation the agent runs itself (POST .../delegations/record). */
    public void record(UUID source, UUID target, String task, UUID delegationId) {
        insertRow(source, target, "delegate", "dispatched", task, delegationId, null);
        events.emit("DELEGATION_SENT", source, JsonMap.of("delegation_id", delegationId.toString(),
                "target_id", target.toString(), "task_preview", preview(task, 100)));
    }

    /** The agent reports how its own delegation ended. */
    public void update(UUID source, UUID delegationId, String status, String error, String responsePreview) {
        UUID target = jdbi.withHandle(h -> h.createQuery("""
                        SELECT target_id FROM activity_logs WHERE workspace_id = :ws AND method = 'delegate'
                          AND request_body->>'delegation_id' = :did""")
                .bind("ws", source).bind("did", delegationId.toString()).mapTo(UUID.class).findOne().orElse(null));
        if (status.equals("completed")) {
            setStatus(source, delegationId, "completed", responsePreview == null ? null
                    : JsonMap.of("text", responsePreview, "delegation_id", delegationId.toString()));
            insertResult(source, target, delegationId, "completed", responsePreview, null);
            Map<String, Object> p = JsonMap.of("delegation_id", delegationId.toString(), "response_preview",
                    preview(responsePreview == null ? "" : responsePreview, 200));
            if (target != null) p.put("target_id", target.toString());
            events.emit("DELEGATION_COMPLETE", source, p);
        } else {
            setStatus(source, delegationId, "failed", null);
            insertResult(source, target, delegationId, "failed", null, error);
            Map<String, Object> p = JsonMap.of("delegation_id", delegationId.toString(), "error", error == null ? "" : error);
            if (target != null) p.put("target_id", target.toString());
            events.emit("DELEGATION_FAILED", source, p);
        }
    }

    /** The newest 50 delegate / delegate_result rows of the workspace. */
    public List<Map<String, Object>> list(UUID workspace) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, activity_type, method, source_id, target_id, summary, status, created_at, error_detail,
                               request_body->>'delegation_id' AS did, response_body->>'text' AS text
                        FROM activity_logs WHERE workspace_id = :ws AND method IN ('delegate', 'delegate_result')
                        ORDER BY created_at DESC, id DESC LIMIT 50""")
                .bind("ws", workspace)
                .map((rs, c) -> {
                    Map<String, Object> m = JsonMap.of("id", rs.getString("id"), "type", rs.getString("method"),
                            "source_id", rs.getString("source_id"), "target_id", rs.getString("target_id"),
                            "summary", rs.getString("summary"), "status", rs.getString("status"),
                            "created_at", rs.getObject("created_at", OffsetDateTime.class));
                    if (rs.getString("did") != null) m.put("delegation_id", rs.getString("did"));
                    if (rs.getString("error_detail") != null) m.put("error", rs.getString("error_detail"));
                    if (rs.getString("text") != null) m.put("response_preview", preview(rs.getString("text"), 300));
                    return m;
                }).list());
    }

    private void insertRow(UUID source, UUID target, String method, String status, String task, UUID delegationId,
                           String idempotencyKey) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO activity_logs (workspace_id, activity_type, source_id, target_id, method, summary,
                                                   request_body, status, idempotency_key)
                        VALUES (:ws, 'delegation', :ws, :target, :method, :summary, CAST(:req AS jsonb), :status, :key)""")
                .bind("ws", source).bind("target", target).bind("method", method)
                .bind("summary", "Delegated: " + preview(task, 100))
                .bind("req", Json.write(JsonMap.of("task", task, "delegation_id", delegationId.toString())))
                .bind("status", status).bind("key", idempotencyKey).execute());
    }

    private void insertResult(UUID source, UUID target, UUID delegationId, String status, String text, String error) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO activity_logs (workspace_id, activity_type, source_id, target_id, method, summary,
                                                   request_body, response_body, status, error_detail)
                        VALUES (:ws, 'delegation', :target, :ws, 'delegate_result', :summary, CAST(:req AS jsonb),
                                CAST(:resp AS jsonb), :status, :err)""")
                .bind("ws", source).bind("target", target)
                .bind("summary", status.equals("completed") ? "Delegation completed" : "Delegation failed")
                .bind("req", Json.write(JsonMap.of("delegation_id", delegationId.toString())))
                .bind("resp", text == null ? null : Json.write(JsonMap.of("text", text, "delegation_id", delegationId.toString())))
                .bind("status", status).bind("err", error).execute());
    }

    private void setStatus(UUID source, UUID delegationId, String status, Map<String, Object> response) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE activity_logs SET status = :status,
                          response_body = coalesce(CAST(:resp AS jsonb), response_body)
                        WHERE workspace_id = :ws AND method = 'delegate' AND request_body->>'delegation_id' = :did""")
                .bind("status", status).bind("resp", response == null ? null : Json.write(response))
                .bind("ws", source).bind("did", delegationId.toString()).execute());
    }

    private static Map<String, Object> status(UUID delegationId, UUID target, String status) {
        return JsonMap.of("delegation_id", delegationId.toString(), "target_id", target.toString(), "status", status);
    }

    static String preview(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
