package ai.molecule.platform.db;

import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells the caches of this instance that rows changed, wherever the change was made: triggers
 * on the cached tables send {@code <table>:<id>} on the {@value #CHANNEL} channel (see the
 * V20 migration), so a write by any instance, or by hand in psql, reaches every cache.
 * When the listener lost its connection, notifications may be missing: every cache is cleared.
 */
public final class Invalidations {
    public static final String CHANNEL = "molecule_invalidate";

    /** A cache that forgets what a changed row made it hold. */
    public interface Cache {
        void invalidate(String table, UUID id);

        void clear();
    }

    private final CopyOnWriteArrayList<Cache> caches = new CopyOnWriteArrayList<>();

    public Invalidations(PgListener listener) {
        listener.on(CHANNEL, this::received).onReconnect(this::clearAll);
    }

    /** For tests and tools without a database listener: only local changes are seen. */
    public static Invalidations local() {
        return new Invalidations();
    }

    private Invalidations() {
    }

    public void register(Cache cache) {
        caches.add(cache);
    }

    /** A change made by this instance, applied at once (the notification follows). */
    public void changed(String table, UUID id) {
        for (Cache c : caches) c.invalidate(table, id);
    }

    private void received(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) return;
        UUID id;
        try {
            id = UUID.fromString(payload.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return;
        }
        changed(payload.substring(0, colon), id);
    }

    private void clearAll() {
        for (Cache c : caches) c.clear();
    }
}
