package ai.molecule.platform.a2a;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many messages a workspace is handling, counted in PostgreSQL so that every platform
 * instance sees the same slots: a workspace has one row per task it may run at once, and
 * taking a slot claims a free row with {@code FOR UPDATE SKIP LOCKED} — atomic however many
 * instances race for the last one, and concurrent messages never wait on each other's row.
 * A row names the instance holding it, so the slots of an instance that restarted or died
 * are given back.
 */
final class Capacity {
    private final Jdbi relaxed;
    private final String instanceId;
    /** Workspaces whose slot rows exist up to this many (saves the insert on every busy answer). */
    private final Map<UUID, Integer> provisioned = new ConcurrentHashMap<>();

    Capacity(Jdbi relaxed, String instanceId) {
        this.relaxed = relaxed;
        this.instanceId = instanceId;
    }

    /** Takes a free slot below {@code max}; empty when the workspace is at capacity. */
    OptionalInt tryAcquire(UUID workspaceId, int max) {
        int limit = Math.max(1, max);
        OptionalInt slot = claim(workspaceId, limit);
        if (slot.isPresent() || provisioned.getOrDefault(workspaceId, 0) >= limit) return slot;
        relaxed.useHandle(h -> h.createUpdate("""
                        INSERT INTO a2a_slots (workspace_id, slot_no)
                        SELECT :ws, n FROM generate_series(0, :max - 1) AS n
                        ON CONFLICT DO NOTHING""")
                .bind("ws", workspaceId).bind("max", limit).execute());
        provisioned.put(workspaceId, limit);
        return claim(workspaceId, limit);
    }

    private OptionalInt claim(UUID workspaceId, int max) {
        return relaxed.withHandle(h -> h.createQuery("""
                        UPDATE a2a_slots s SET holder = :instance, taken_at = now()
                        FROM (SELECT slot_no FROM a2a_slots
                              WHERE workspace_id = :ws AND holder IS NULL AND slot_no < :max
                              LIMIT 1 FOR UPDATE SKIP LOCKED) free
                        WHERE s.workspace_id = :ws AND s.slot_no = free.slot_no
                        RETURNING s.slot_no""")
                .bind("ws", workspaceId).bind("max", max).bind("instance", instanceId)
                .mapTo(Integer.class).findOne().map(OptionalInt::of).orElse(OptionalInt.empty()));
    }

    void release(UUID workspaceId, int slot) {
        relaxed.useHandle(h -> h.createUpdate("""
                        UPDATE a2a_slots SET holder = NULL, taken_at = NULL
                        WHERE workspace_id = :ws AND slot_no = :slot AND holder = :instance""")
                .bind("ws", workspaceId).bind("slot", slot).bind("instance", instanceId).execute());
    }

    /** Gives back every slot an instance holds (it restarted, or stopped answering); returns the workspaces freed. */
    List<UUID> releaseAllOf(String instance) {
        return relaxed.withHandle(h -> h.createQuery("""
                        UPDATE a2a_slots SET holder = NULL, taken_at = NULL WHERE holder = :instance
                        RETURNING workspace_id""")
                .bind("instance", instance).mapTo(UUID.class).list().stream().distinct().toList());
    }
}
