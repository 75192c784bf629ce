package ai.molecule.platform.a2a;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable queue of messages for busy agents (table a2a_queue). A message leaves it only
 * as completed or, after {@link #MAX_ATTEMPTS} failed deliveries, failed: a target that is
 * busy again puts it back as it was (upstream drops it there).
 */
final class A2aQueue {
    static final int MAX_ATTEMPTS = 5;
    static final int DEFAULT_PRIORITY = 50;

    private final Jdbi jdbi;
    private final String instanceId;
    private final java.time.Duration lease;
    /** Notified (with the workspace id) whenever a message is queued, so any instance may drain it. */
    static final String CHANNEL = "molecule_queued";
    private final java.util.Set<UUID> hinted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    A2aQueue(Jdbi jdbi, String instanceId, java.time.Duration lease) {
        this.jdbi = jdbi;
        this.instanceId = instanceId;
        this.lease = lease;
    }

    record Item(UUID id, UUID workspaceId, UUID callerId, String body, String method, int attempts) {
    }

    record Enqueued(UUID id, int depth) {
    }

    /** Stores the message once per (workspace, messageId) while it is pending; returns its row and the depth. */
    Enqueued enqueue(UUID workspaceId, UUID callerId, String body, String method, String idempotencyKey) {
        hinted.add(workspaceId);
        return jdbi.inTransaction(h -> {
            UUID id = h.createQuery("""
                            INSERT INTO a2a_queue (workspace_id, caller_id, priority, body, method, idempotency_key)
                            VALUES (:ws, :caller, :priority, CAST(:body AS jsonb), :method, :key)
                            ON CONFLICT (workspace_id, idempotency_key) WHERE status IN ('queued', 'dispatched') DO NOTHING
                            RETURNING id""")
                    .bind("ws", workspaceId).bind("caller", callerId).bind("priority", DEFAULT_PRIORITY)
                    .bind("body", body).bind("method", method).bind("key", idempotencyKey)
                    .mapTo(UUID.class).findOne()
                    .orElseGet(() -> h.createQuery("""
                                    SELECT id FROM a2a_queue WHERE workspace_id = :ws AND idempotency_key = :key
                                      AND status IN ('queued', 'dispatched')""")
                            .bind("ws", workspaceId).bind("key", idempotencyKey).mapTo(UUID.class).one());
            h.createQuery("SELECT pg_notify(:channel, CAST(:ws AS text))").bind("channel", CHANNEL).bind("ws", workspaceId)
                    .mapTo(String.class).one(); // every instance's next delivery to the workspace drains it
            int depth = h.createQuery("SELECT count(*) FROM a2a_queue WHERE workspace_id = :ws AND status = 'queued'")
                    .bind("ws", workspaceId).mapTo(Integer.class).one();
            return new Enqueued(id, depth);
        });
    }

    /**
     * Claims the next message for the workspace (priority, then age), marking it dispatched
     * under this instance's lease. SKIP LOCKED keeps two instances draining one queue from
     * taking the same row.
     */
    Optional<Item> claimNext(UUID workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE a2a_queue q SET status = 'dispatched', dispatched_at = now(), attempts = attempts + 1,
                          dispatched_by = :instance, lease_until = now() + make_interval(secs => :lease)
                        FROM (SELECT id FROM a2a_queue
                              WHERE workspace_id = :ws AND status = 'queued' AND (expires_at IS NULL OR expires_at > now())
                              ORDER BY priority DESC, enqueued_at, id
                              LIMIT 1 FOR UPDATE SKIP LOCKED) next
                        WHERE q.id = next.id
                        RETURNING q.id, q.workspace_id, q.caller_id, q.body::text AS body, q.method, q.attempts""")
                .bind("ws", workspaceId).bind("instance", instanceId).bind("lease", (double) lease.toSeconds())
                .map((rs, c) -> new Item(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                        rs.getObject("caller_id", UUID.class), rs.getString("body"), rs.getString("method"), rs.getInt("attempts")))
                .findOne());
    }

    /** Whether anything waits for this workspace (a cheap check before claiming). */
    boolean hasQueued(UUID workspaceId) {
        boolean any = jdbi.withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM a2a_queue WHERE workspace_id = :ws AND status = 'queued')")
                .bind("ws", workspaceId).mapTo(Boolean.class).one());
        if (any) hinted.add(workspaceId);
        else hinted.remove(workspaceId);
        return any;
    }

    void completed(UUID id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE a2a_queue SET status = 'completed', completed_at = now() WHERE id = :id")
                .bind("id", id).execute());
    }

    /** Busy again: back in line where it was, and this attempt does not count. */
    void requeue(UUID id) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE a2a_queue SET status = 'queued', attempts = greatest(attempts - 1, 0), dispatched_by = NULL, lease_until = NULL WHERE id = :id")
                .bind("id", id).execute());
    }

    /** A delivery error: retried later, failed for good after MAX_ATTEMPTS. */
    void failedAttempt(UUID id, String error) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE a2a_queue SET last_error = :err, dispatched_by = NULL, lease_until = NULL,
                          status = CASE WHEN attempts >= :max THEN 'failed' ELSE 'queued' END
                        WHERE id = :id""")
                .bind("id", id).bind("err", error).bind("max", MAX_ATTEMPTS).execute());
    }

    /** This instance is still delivering its leased rows: push their leases forward. */
    void renewLeases() {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE a2a_queue SET lease_until = now() + make_interval(secs => :lease)
                        WHERE status = 'dispatched' AND dispatched_by = :instance""")
                .bind("lease", (double) lease.toSeconds()).bind("instance", instanceId).execute());
    }

    /** Rows whose delivery lease ran out: the instance delivering them died. See {@link #release}. */
    List<UUID> releaseExpired() {
        return release("lease_until < now() OR (lease_until IS NULL AND dispatched_at < now() - make_interval(secs => :lease))", null);
    }

    /** Rows {@code instance} was delivering when it stopped (a restart, or it went silent). */
    List<UUID> releaseHeldBy(String instance) {
        return release("dispatched_by = :instance", instance);
    }

    /**
     * Abandoned deliveries go back in line, delivered at most once more (with the same message
     * id, so the agent can tell), then failed. Returns the workspaces with rows back in line.
     */
    private List<UUID> release(String abandoned, String instance) {
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE a2a_queue SET status = CASE WHEN redeliveries >= 1 THEN 'failed' ELSE 'queued' END,
                          redeliveries = redeliveries + 1, dispatched_by = NULL, lease_until = NULL,
                          last_error = 'delivery interrupted: the platform instance delivering it stopped'
                        WHERE status = 'dispatched' AND (%s)
                        RETURNING workspace_id""".formatted(abandoned))
                .bind("instance", instance).bind("lease", (double) lease.toSeconds())
                .mapTo(UUID.class).list().stream().distinct().toList());
    }

    /**
     * A free hint, no query: whether this instance queued for the workspace since its queue was
     * last seen empty. Other instances' rows are drained on the target's heartbeats.
     */
    /** A queued-message notification from any instance (payload: the workspace id). */
    void notified(String payload) {
        try {
            hinted.add(UUID.fromString(payload));
        } catch (IllegalArgumentException ignored) {
            // not ours
        }
    }

    boolean mayHaveQueued(UUID workspaceId) {
        return hinted.contains(workspaceId);
    }

    int dropStale(int maxAgeMinutes, UUID workspaceId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE a2a_queue SET status = 'dropped'
                        WHERE status = 'queued' AND enqueued_at < now() - make_interval(mins => :mins)
                          AND (CAST(:ws AS uuid) IS NULL OR workspace_id = :ws)""")
                .bind("mins", maxAgeMinutes).bind("ws", workspaceId).execute());
    }
}
