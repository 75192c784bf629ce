package ai.molecule.platform.workspace;

import ai.molecule.platform.http.LogSafe;
import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.provisioner.Provisioner;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Restart, pause, resume and hibernate (spec §1.2, §6), each a status change in SQL plus
 * the provisioner call, with the spec's events. Pause and resume cascade down the subtree.
 */
public final class WorkspaceLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceLifecycle.class);

    private final Jdbi jdbi;
    private final WorkspaceRepository repo;
    private final Hierarchy hierarchy;
    private final EventBus events;
    private final Provisioner provisioner;
    private final Set<UUID> restarting = ConcurrentHashMap.newKeySet();
    private volatile Consumer<UUID> onRestarted = id -> { };

    public WorkspaceLifecycle(Jdbi jdbi, WorkspaceRepository repo, Hierarchy hierarchy, EventBus events,
                              Provisioner provisioner) {
        this.jdbi = jdbi;
        this.repo = repo;
        this.hierarchy = hierarchy;
        this.events = events;
        this.provisioner = provisioner;
    }

    /** Told after each restart is under way (e.g. to send the restart context once online). */
    public void onRestarted(Consumer<UUID> listener) {
        this.onRestarted = listener;
    }

    public boolean provisionerAvailable() {
        return !provisioner.name().equals("none");
    }

    /** POST /restart: 404 unknown, 409 under a paused ancestor, 503 without a provisioner. */
    public Map<String, Object> restart(UUID id, boolean reset) {
        Workspace ws = live(id, "workspace not found");
        requireProvisioner();
        refuseUnderPausedAncestor(ws);
        reprovision(ws);
        return JsonMap.of("status", WorkspaceStatus.PROVISIONING, "config_dir", "existing-volume", "reset_session", reset);
    }

    /**
     * Restarts after a secret change or a dead agent: skipped for removed, paused,
     * hibernated and external workspaces and under a paused ancestor; one at a time each.
     */
    public void autoRestart(UUID id) {
        if (!provisionerAvailable()) return;
        Workspace ws = repo.find(id).orElse(null);
        if (ws == null || ws.external() || Set.of(WorkspaceStatus.REMOVED, WorkspaceStatus.PAUSED, WorkspaceStatus.HIBERNATED)
                .contains(ws.status()) || pausedAncestor(ws) != null) {
            return;
        }
        reprovision(ws);
    }

    /** A global secret changed: every running workspace that does not override the key restarts. */
    public void globalSecretChanged(String key) {
        if (!provisionerAvailable()) return;
        jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM workspaces w
                        WHERE status NOT IN ('removed', 'paused', 'hibernated') AND NOT external
                          AND NOT EXISTS (SELECT 1 FROM workspace_secrets s WHERE s.workspace_id = w.id AND s.key = :key)""")
                .bind("key", key).mapTo(UUID.class).list()).forEach(this::autoRestart);
    }

    private void reprovision(Workspace ws) {
        if (!restarting.add(ws.id())) return;
        try {
            jdbi.useHandle(h -> h.createUpdate(
                            "UPDATE workspaces SET status = 'provisioning', url = '', updated_at = now() WHERE id = :id")
                    .bind("id", ws.id()).execute());
            events.emit(EventTypes.WORKSPACE_PROVISIONING, ws.id(),
                    JsonMap.of("name", ws.name(), "tier", ws.tier(), "runtime", ws.runtime()));
            Thread.startVirtualThread(() -> {
                try {
                    provisioner.restart(ws.id());
                    onRestarted.accept(ws.id());
                } catch (RuntimeException e) {
                    log.warn("restart of {} failed: {}", ws.id(), LogSafe.of(e.getMessage()));
                } finally {
                    restarting.remove(ws.id());
                }
            });
        } catch (RuntimeException e) {
            restarting.remove(ws.id());
            throw e;
        }
    }

    /** Pauses the workspace and every non-paused descendant: runtimes stopped, URLs cleared. */
    public Map<String, Object> pause(UUID id) {
        Workspace ws = repo.find(id).filter(w -> !Set.of(WorkspaceStatus.REMOVED, WorkspaceStatus.PAUSED).contains(w.status()))
                .orElseThrow(() -> ApiError.notFound("workspace not found or already paused"));
        List<UUID> paused = jdbi.withHandle(h -> h.createQuery("""
                        UPDATE workspaces SET status = 'paused', url = '', updated_at = now()
                        WHERE id IN (<ids>) AND status NOT IN ('removed', 'paused') RETURNING id""")
                .bindList("ids", hierarchy.subtree(ws.id())).mapTo(UUID.class).list());
        for (UUID p : paused) {
            provisioner.stop(p);
            events.emit(EventTypes.WORKSPACE_PAUSED, p, Map.of("name", repo.find(p).map(Workspace::name).orElse("")));
        }
        return JsonMap.of("status", WorkspaceStatus.PAUSED, "paused_count", paused.size());
    }

    /** Resumes the workspace and its paused descendants: each provisioned again. */
    public Map<String, Object> resume(UUID id) {
        Workspace ws = repo.find(id).filter(w -> w.status().equals(WorkspaceStatus.PAUSED))
                .orElseThrow(() -> ApiError.notFound("workspace not found or not paused"));
        requireProvisioner();
        refuseUnderPausedAncestor(ws);
        List<UUID> resumed = jdbi.withHandle(h -> h.createQuery("""
                        UPDATE workspaces SET status = 'provisioning', updated_at = now()
                        WHERE id IN (<ids>) AND status = 'paused' RETURNING id""")
                .bindList("ids", hierarchy.subtree(ws.id())).mapTo(UUID.class).list());
        for (UUID r : resumed) {
            Workspace w = repo.find(r).orElseThrow();
            events.emit(EventTypes.WORKSPACE_PROVISIONING, r, JsonMap.of("name", w.name(), "tier", w.tier(), "runtime", w.runtime()));
            Thread.startVirtualThread(() -> provisioner.start(r));
        }
        return JsonMap.of("status", WorkspaceStatus.PROVISIONING, "resumed_count", resumed.size());
    }

    /** Online/degraded → hibernating → hibernated; busy workspaces only with force (which really stops them). */
    public Map<String, Object> hibernate(UUID id, boolean force) {
        Workspace ws = repo.find(id).filter(w -> Set.of(WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED).contains(w.status()))
                .orElseThrow(() -> ApiError.notFound(
                        "workspace not found or not in a hibernatable state (must be online or degraded)"));
        if (ws.activeTasks() > 0 && !force) {
            throw new ApiError(409, "workspace has active tasks; use ?force=true to terminate them",
                    Map.of("active_tasks", ws.activeTasks()));
        }
        int claimed = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE workspaces SET status = 'hibernating', updated_at = now()
                        WHERE id = :id AND status IN ('online', 'degraded')""").bind("id", id).execute());
        if (claimed == 0) throw ApiError.notFound("workspace not found or not in a hibernatable state (must be online or degraded)");
        provisioner.stop(id);
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE workspaces SET status = 'hibernated', url = '', active_tasks = 0, current_task = '',
                          updated_at = now() WHERE id = :id""").bind("id", id).execute());
        events.emit(EventTypes.WORKSPACE_HIBERNATED, id, JsonMap.of("name", ws.name(), "tier", ws.tier()));
        return Map.of("status", WorkspaceStatus.HIBERNATED);
    }

    /** An A2A call to a hibernated workspace wakes it (upstream's wake is a no-op: spec §6 [BUG]). */
    public void wake(UUID id) {
        Workspace ws = repo.find(id).orElse(null);
        if (ws != null && ws.status().equals(WorkspaceStatus.HIBERNATED) && provisionerAvailable()) reprovision(ws);
    }

    private Workspace live(UUID id, String notFound) {
        return repo.find(id).filter(w -> !w.status().equals(WorkspaceStatus.REMOVED))
                .orElseThrow(() -> ApiError.notFound(notFound));
    }

    private void requireProvisioner() {
        if (!provisionerAvailable()) throw new ApiError(503, "provisioner not available");
    }

    private void refuseUnderPausedAncestor(Workspace ws) {
        Workspace paused = pausedAncestor(ws);
        if (paused != null) {
            throw new ApiError(409, "parent workspace \"" + paused.name() + "\" is paused — resume it first");
        }
    }

    /** The nearest paused ancestor, found in one query over the ancestor chain. */
    private Workspace pausedAncestor(Workspace ws) {
        List<UUID> ancestors = hierarchy.chain(ws.id()).stream().skip(1).toList();
        if (ancestors.isEmpty()) return null;
        Set<UUID> paused = Set.copyOf(jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM workspaces WHERE id IN (<ids>) AND status = 'paused'")
                .bindList("ids", ancestors).mapTo(UUID.class).list()));
        return ancestors.stream().filter(paused::contains).findFirst().flatMap(repo::find).orElse(null);
    }
}
