package ai.molecule.platform.a2a;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How many messages a workspace is handling, counted in PostgreSQL so that every platform
 * instance sees the same slots: a workspace has one row per task it may run at once, and
 * taking a slot claims a free row with {@code FOR UPDATE SKIP LOCKED} — atomic however many
 * instances race for the last one, and concurrent messages never wait on each other's row.
 * A row names the instance holding it, so the slots of an instance that restarted or died
 * are given back.
 * <p>
 * A slot a message gave back stays with this instance for {@link #KEEP} before its row is
 * freed: a busy workspace's next message takes it from memory, so steady traffic costs no
 * database round trip per message (it cost two, half of the proxy's CPU). Another instance
 * that finds every row held by someone else waits a little longer than a kept slot lives and
 * tries once more, so a slot idling here never makes it queue a message.
 */
final class Capacity implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Capacity.class);
    static final Duration KEEP = Duration.ofMillis(50);

    private final Jdbi relaxed;
    private final String instanceId;
    private final Duration keep;
    /** How long a claim that found every slot held elsewhere waits before its one retry. */
    private final Duration reclaimWait;
    /** Workspaces whose slot rows exist up to this many (saves the insert on every busy answer). */
    private final Map<UUID, Integer> provisioned = new ConcurrentHashMap<>();
    private final Map<UUID, Kept> kept = new ConcurrentHashMap<>();
    private final Set<UUID> idle = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService returner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("capacity-returner").daemon().factory());

    /** This instance's slots of one workspace: held in use, or given back and kept a moment (guarded by itself). */
    private static final class Kept {
        final ArrayDeque<long[]> free = new ArrayDeque<>(); // {slot, released at (nanos)}, newest first
        int inUse;
    }

    Capacity(Jdbi relaxed, String instanceId) {
        this(relaxed, instanceId, KEEP);
    }

    Capacity(Jdbi relaxed, String instanceId, Duration keep) {
        this.relaxed = relaxed;
        this.instanceId = instanceId;
        this.keep = keep;
        this.reclaimWait = keep.multipliedBy(2).plusMillis(20); // kept for `keep`, freed by a pass every keep/2
        long every = Math.max(1, keep.toMillis() / 2);
        returner.scheduleWithFixedDelay(this::returnIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /** Takes a free slot below {@code max}; empty when the workspace is at capacity. */
    OptionalInt tryAcquire(UUID workspaceId, int max) {
        int limit = Math.max(1, max);
        Kept k = kept.computeIfAbsent(workspaceId, id -> new Kept());
        synchronized (k) {
            for (Iterator<long[]> it = k.free.iterator(); it.hasNext(); ) {
                int slot = (int) it.next()[0];
                if (slot < limit) {
                    it.remove();
                    k.inUse++;
                    return OptionalInt.of(slot);
                }
            }
        }
        Claim c = claim(workspaceId, limit);
        if (c.slot().isEmpty() && provisioned.getOrDefault(workspaceId, 0) < limit) {
            provision(workspaceId, limit);
            c = claim(workspaceId, limit);
        }
        if (c.slot().isEmpty() && c.othersHold()) { // perhaps only kept there: they are freed within KEEP
            pause(reclaimWait);
            c = claim(workspaceId, limit);
        }
        if (c.slot().isPresent()) {
            synchronized (k) {
                k.inUse++;
            }
        }
        return c.slot();
    }

    /** Gives a slot back: kept here a moment ({@link #KEEP}), then freed for every instance. */
    void release(UUID workspaceId, int slot) {
        Kept k = kept.computeIfAbsent(workspaceId, id -> new Kept());
        synchronized (k) {
            k.inUse--;
            k.free.addFirst(new long[] {slot, System.nanoTime()});
        }
        if (!idle.contains(workspaceId)) idle.add(workspaceId); // a lock-free read: add() locks the bin even when present
    }

    /** How many slots of the workspace are taken now, by any instance (slots kept idle here do not count). */
    int inFlight(UUID workspaceId) {
        int elsewhere = relaxed.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM a2a_slots WHERE workspace_id = :ws AND holder IS NOT NULL AND holder <> :instance")
                .bind("ws", workspaceId).bind("instance", instanceId).mapTo(Integer.class).one());
        Kept k = kept.get(workspaceId);
        if (k == null) return elsewhere;
        synchronized (k) {
            return elsewhere + k.inUse;
        }
    }

    /** Gives back every slot an instance holds (it restarted, or stopped answering); returns the workspaces freed. */
    List<UUID> releaseAllOf(String instance) {
        return relaxed.withHandle(h -> h.createQuery("""
                        UPDATE a2a_slots SET holder = NULL, taken_at = NULL WHERE holder = :instance
                        RETURNING workspace_id""")
                .bind("instance", instance).mapTo(UUID.class).list().stream().distinct().toList());
    }

    /** Frees every kept slot now (a clean stop). */
    @Override
    public void close() {
        returner.shutdownNow();
        returnKept(System.nanoTime(), true);
    }

    private void returnIdle() {
        try {
            returnKept(System.nanoTime() - keep.toNanos(), false);
        } catch (RuntimeException e) {
            log.warn("could not free idle capacity slots (retried shortly): {}", e.getMessage());
        }
    }

    /**
     * Frees the kept slots given back before {@code cutoff} (nanos), or {@code all} of them. The
     * rows are freed under the workspace's lock: a message arriving meanwhile waits that one
     * statement, then claims the freed row; it never sees a slot gone from memory whose row
     * still names this instance (it would be queued behind nothing).
     */
    private void returnKept(long cutoff, boolean all) {
        for (UUID ws : List.copyOf(idle)) {
            Kept k = kept.get(ws);
            if (k == null) continue;
            synchronized (k) {
                List<Integer> old = new ArrayList<>();
                for (Iterator<long[]> it = k.free.descendingIterator(); it.hasNext(); ) {
                    long[] slot = it.next();
                    if (!all && slot[1] - cutoff > 0) break; // the rest were given back later
                    old.add((int) slot[0]);
                }
                if (!old.isEmpty()) {
                    free(ws, old); // throws, keeping them, while the database does not answer
                    for (int i = 0; i < old.size(); i++) k.free.removeLast();
                }
                if (k.free.isEmpty()) idle.remove(ws);
            }
        }
    }

    private void free(UUID workspaceId, List<Integer> slots) {
        relaxed.useHandle(h -> h.createUpdate("""
                        UPDATE a2a_slots SET holder = NULL, taken_at = NULL
                        WHERE workspace_id = :ws AND slot_no = ANY(:slots) AND holder = :instance""")
                .bind("ws", workspaceId).bind("slots", slots.toArray(Integer[]::new)).bind("instance", instanceId).execute());
    }

    private void provision(UUID workspaceId, int limit) {
        relaxed.useHandle(h -> h.createUpdate("""
                        INSERT INTO a2a_slots (workspace_id, slot_no)
                        SELECT :ws, n FROM generate_series(0, :max - 1) AS n
                        ON CONFLICT DO NOTHING""")
                .bind("ws", workspaceId).bind("max", limit).execute());
        provisioned.put(workspaceId, limit);
    }

    /** A claimed slot (or none), and whether other instances hold slots of the workspace. */
    private record Claim(OptionalInt slot, boolean othersHold) {
    }

    private Claim claim(UUID workspaceId, int max) {
        return relaxed.withHandle(h -> h.createQuery("""
                        WITH free AS (SELECT slot_no FROM a2a_slots
                                      WHERE workspace_id = :ws AND holder IS NULL AND slot_no < :max
                                      LIMIT 1 FOR UPDATE SKIP LOCKED),
                             taken AS (UPDATE a2a_slots s SET holder = :instance, taken_at = now()
                                       FROM free WHERE s.workspace_id = :ws AND s.slot_no = free.slot_no
                                       RETURNING s.slot_no)
                        SELECT (SELECT slot_no FROM taken) AS slot,
                               EXISTS (SELECT 1 FROM a2a_slots WHERE workspace_id = :ws AND slot_no < :max
                                       AND holder IS NOT NULL AND holder <> :instance) AS others""")
                .bind("ws", workspaceId).bind("max", max).bind("instance", instanceId)
                .map((rs, ctx) -> {
                    int slot = rs.getInt("slot");
                    return new Claim(rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(slot), rs.getBoolean("others"));
                }).one());
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
