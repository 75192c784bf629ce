package ai.molecule.platform.registry;

import ai.molecule.platform.PlatformConfig;
import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.health.Subsystems;
import ai.molecule.platform.health.SupervisedLoop;
import ai.molecule.platform.http.JsonMap;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The timed half of the status machine (spec §6): silent agents go offline after the
 * liveness TTL (external ones after the remote stale time), and workspaces stuck in
 * provisioning fail after the provision timeout. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED} inside the transition's own UPDATE, so any number of
 * platform instances can sweep one database and each transition happens exactly once.
 */
public final class LivenessSweeper implements AutoCloseable {
    public static final String SUBSYSTEM = "liveness-sweep";

    private final Jdbi jdbi;
    private final EventBus events;
    private final PlatformConfig config;
    private final Subsystems subsystems;
    private SupervisedLoop loop;

    public LivenessSweeper(Jdbi jdbi, EventBus events, PlatformConfig config, Subsystems subsystems) {
        this.jdbi = jdbi;
        this.events = events;
        this.config = config;
        this.subsystems = subsystems;
    }

    public void start() {
        loop = SupervisedLoop.start(SUBSYSTEM, config.sweepInterval(), subsystems, this::sweep);
    }

    public void sweep() {
        for (UUID id : markOffline()) events.emit(EventTypes.WORKSPACE_OFFLINE, id, Map.of());
        long timeoutSecs = config.provisionTimeout().toSeconds();
        for (UUID id : failStuckProvisioning()) {
            events.emit(EventTypes.WORKSPACE_PROVISION_FAILED, id,
                    JsonMap.of("error", timeoutMessage(timeoutSecs), "timeout_secs", timeoutSecs));
        }
        jdbi.useHandle(h -> h.execute("DELETE FROM event_relay WHERE created_at < now() - interval '1 hour'"));
    }

    List<UUID> markOffline() {
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE workspaces SET status = 'offline', updated_at = now()
                        WHERE id IN (
                            SELECT id FROM workspaces
                            WHERE status IN ('online', 'degraded')
                              AND last_heartbeat_at < now() - CASE WHEN external
                                    THEN make_interval(secs => :remoteStale) ELSE make_interval(secs => :ttl) END
                            FOR UPDATE SKIP LOCKED)
                          AND status IN ('online', 'degraded')
                        RETURNING id""")
                .bind("ttl", (double) config.livenessTtl().toMillis() / 1000)
                .bind("remoteStale", (double) config.remoteLivenessStaleAfter().toMillis() / 1000)
                .mapTo(UUID.class).list());
    }

    List<UUID> failStuckProvisioning() {
        long secs = config.provisionTimeout().toSeconds();
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE workspaces SET status = 'failed', updated_at = now(), last_sample_error = :msg
                        WHERE id IN (
                            SELECT id FROM workspaces
                            WHERE status = 'provisioning' AND updated_at < now() - make_interval(secs => :secs)
                            FOR UPDATE SKIP LOCKED)
                          AND status = 'provisioning'
                        RETURNING id""")
                .bind("secs", (double) config.provisionTimeout().toMillis() / 1000)
                .bind("msg", timeoutMessage(secs))
                .mapTo(UUID.class).list());
    }

    private static String timeoutMessage(long secs) {
        return "provisioning timed out: no agent registered within " + secs + "s";
    }

    @Override
    public void close() {
        if (loop != null) loop.close();
    }
}
