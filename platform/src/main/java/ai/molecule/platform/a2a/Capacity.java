package ai.molecule.platform.a2a;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.UUID;

/**
 * How many messages a workspace is handling, counted in PostgreSQL so that every platform
 * instance sees the same number. Taking a slot is one conditional upsert of the workspace's
 * row, atomic however many instances race for the last one; the row also records how many
 * slots each instance holds, so the slots of an instance that restarted or died go back.
 */
final class Capacity {
    private final Jdbi relaxed;
    private final String instanceId;

    Capacity(Jdbi relaxed, String instanceId) {
        this.relaxed = relaxed;
        this.instanceId = instanceId;
    }

    /** Takes a slot when fewer than {@code max} are taken; false when the workspace is at capacity. */
    boolean tryAcquire(UUID workspaceId, int max) {
        return relaxed.withHandle(h -> h.createQuery("""
                        INSERT INTO a2a_slots AS s (workspace_id, in_flight, holders)
                        VALUES (:ws, 1, jsonb_build_object(:instance, 1))
                        ON CONFLICT (workspace_id) DO UPDATE SET in_flight = s.in_flight + 1,
                          holders = s.holders || jsonb_build_object(:instance, coalesce((s.holders ->> :instance)::int, 0) + 1)
                        WHERE s.in_flight < :max
                        RETURNING s.in_flight""")
                .bind("ws", workspaceId).bind("max", Math.max(1, max)).bind("instance", instanceId)
                .mapTo(Integer.class).findOne().isPresent());
    }

    void release(UUID workspaceId) {
        relaxed.useHandle(h -> h.createUpdate("""
                        UPDATE a2a_slots s SET in_flight = greatest(s.in_flight - 1, 0),
                          holders = s.holders || jsonb_build_object(:instance, (s.holders ->> :instance)::int - 1)
                        WHERE workspace_id = :ws AND coalesce((s.holders ->> :instance)::int, 0) > 0""")
                .bind("ws", workspaceId).bind("instance", instanceId).execute());
    }

    /** Gives back every slot an instance holds (it restarted, or stopped answering); returns the workspaces freed. */
    List<UUID> releaseAllOf(String instance) {
        return relaxed.withHandle(h -> h.createQuery("""
                        UPDATE a2a_slots s SET in_flight = greatest(s.in_flight - (s.holders ->> :instance)::int, 0),
                          holders = s.holders - :instance
                        WHERE s.holders ->> :instance IS NOT NULL
                        RETURNING s.workspace_id""")
                .bind("instance", instance).mapTo(UUID.class).list());
    }
}
