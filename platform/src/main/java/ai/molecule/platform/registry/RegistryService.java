package ai.molecule.platform.registry;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.tokens.TokenService;
import ai.molecule.platform.workspace.WorkspaceStatus;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Register, heartbeat and card updates (spec §1.3) with the heartbeat-driven part of the
 * status machine (spec §6). Each transition is one conditional UPDATE, so two platform
 * instances receiving heartbeats never emit the same transition twice.
 */
public final class RegistryService {
    static final double DEGRADE_AT = 0.5;
    static final double RECOVER_BELOW = 0.1;

    private final Jdbi jdbi;
    private final TokenService tokens;
    private final EventBus events;
    private final boolean agentsRegisterThemselves;
    private volatile java.util.function.Consumer<UUID> onCapacity = id -> { };

    /** {@code agentsRegisterThemselves}: {@code MOLECULE_PROVISIONER=none}, the platform starts no runtime. */
    public RegistryService(Jdbi jdbi, TokenService tokens, EventBus events, boolean agentsRegisterThemselves) {
        this.jdbi = jdbi;
        this.agentsRegisterThemselves = agentsRegisterThemselves;
        this.tokens = tokens;
        this.events = events;
    }

    /** Told on each heartbeat that reports spare capacity: the A2A queue drains there (spec §3.4). */
    public void onCapacity(java.util.function.Consumer<UUID> listener) {
        this.onCapacity = listener;
    }

    /**
     * Registers the agent of an existing workspace. {@code authenticated}: the caller presented
     * the workspace's live token. Without one, only the bootstrap of spec §2.2 is allowed — a
     * workspace whose agent registers itself (external, or {@code MOLECULE_PROVISIONER=none})
     * that has never had a token — and it returns the token minted for it; a workspace the
     * platform provisions got its token in its config dir before its runtime started.
     */
    public Optional<String> register(UUID id, String url, JsonNode agentCard, boolean authenticated) {
        String card = Json.write(agentCard);
        Optional<String> minted = jdbi.inTransaction(h -> {
            record Row(String status, boolean external, boolean hadToken) {
            }
            Row row = h.createQuery("""
                            SELECT status, external,
                                   EXISTS (SELECT 1 FROM workspace_auth_tokens t WHERE t.workspace_id = w.id) AS had_token
                            FROM workspaces w WHERE id = :id FOR UPDATE""")
                    .bind("id", id)
                    .map((rs, c) -> new Row(rs.getString("status"), rs.getBoolean("external"), rs.getBoolean("had_token")))
                    .findOne().orElseThrow(() -> ApiError.notFound("workspace not found"));
            if (WorkspaceStatus.REMOVED.equals(row.status())) throw new ApiError(410, "workspace has been removed");
            boolean bootstrap = !authenticated;
            if (bootstrap && (row.hadToken() || !(row.external() || agentsRegisterThemselves))) {
                throw ApiError.unauthorized("missing workspace auth token");
            }
            h.createUpdate("""
                            UPDATE workspaces SET status = 'online', agent_card = CAST(:card AS jsonb), last_heartbeat_at = now(),
                              url = CASE WHEN url LIKE 'http://127.0.0.1%' THEN url ELSE :url END, updated_at = now()
                            WHERE id = :id""")
                    .bind("id", id).bind("url", url).bind("card", card).execute();
            return bootstrap ? Optional.of(tokens.mint(h, id)) : Optional.<String>empty();
        });
        events.emit(EventTypes.WORKSPACE_ONLINE, id, JsonMap.of("url", url, "agent_card", agentCard));
        return minted;
    }

    public void heartbeat(Heartbeat hb) {
        record Before(String status, String currentTask, int maxTasks) {
        }
        Before before = jdbi.withHandle(h -> h.createQuery("""
                        UPDATE workspaces w SET last_heartbeat_at = now(), last_error_rate = :rate, last_sample_error = :sample,
                          active_tasks = :active, uptime_seconds = :uptime, current_task = :task,
                          monthly_spend = CASE WHEN :spend > 0 THEN :spend ELSE monthly_spend END,
                          runtime_metadata = CAST(:meta AS jsonb)
                        FROM (SELECT id, status, current_task FROM workspaces WHERE id = :id FOR UPDATE) old
                        WHERE w.id = old.id AND old.status <> 'removed'
                        RETURNING old.status, old.current_task, w.max_concurrent_tasks""")
                .bind("id", hb.workspaceId()).bind("rate", hb.errorRate()).bind("sample", hb.sampleError())
                .bind("active", hb.activeTasks()).bind("uptime", hb.uptimeSeconds()).bind("task", hb.currentTask())
                .bind("spend", hb.monthlySpend())
                .bind("meta", hb.runtimeMetadata() == null ? null : hb.runtimeMetadata().toString())
                .map((rs, c) -> new Before(rs.getString(1), rs.getString(2), rs.getInt(3))).findOne().orElse(null));
        if (before == null) return; // unknown or removed: nothing to update, as upstream
        transition(hb);
        if (!Objects.equals(emptyToNull(before.currentTask()), emptyToNull(hb.currentTask()))) {
            events.emit(EventTypes.TASK_UPDATED, hb.workspaceId(),
                    JsonMap.of("current_task", hb.currentTask() == null ? "" : hb.currentTask(), "active_tasks", hb.activeTasks()));
        }
        events.emit(EventTypes.WORKSPACE_HEARTBEAT, hb.workspaceId(),
                JsonMap.of("active_tasks", hb.activeTasks(), "uptime_seconds", hb.uptimeSeconds()));
        if (hb.activeTasks() < before.maxTasks()) {
            UUID id = hb.workspaceId();
            Thread.startVirtualThread(() -> onCapacity.accept(id));
        }
    }

    /** At most one status transition per heartbeat, each claimed by a guarded UPDATE. */
    private void transition(Heartbeat hb) {
        UUID id = hb.workspaceId();
        String recovered = move(id, "status IN ('provisioning', 'offline')", WorkspaceStatus.ONLINE);
        if (recovered != null) {
            events.emit(EventTypes.WORKSPACE_ONLINE, id,
                    recovered.equals(WorkspaceStatus.PROVISIONING) ? Map.of("recovered_from", recovered) : Map.of());
            return;
        }
        boolean errorRule = !hb.managesOwnStatus();
        if (hb.wedged() || (errorRule && hb.errorRate() >= DEGRADE_AT)) {
            if (move(id, "status = 'online'", WorkspaceStatus.DEGRADED) != null) {
                events.emit(EventTypes.WORKSPACE_DEGRADED, id, hb.wedged()
                        ? JsonMap.of("runtime_state", "wedged", "sample_error", nz(hb.sampleError()))
                        : JsonMap.of("error_rate", hb.errorRate(), "sample_error", nz(hb.sampleError())));
            }
            return;
        }
        boolean healthy = !hb.wedged() && (!errorRule || hb.errorRate() < RECOVER_BELOW)
                && (hb.runtimeState() == null || hb.runtimeState().isEmpty());
        if (healthy && move(id, "status = 'degraded'", WorkspaceStatus.ONLINE) != null) {
            events.emit(EventTypes.WORKSPACE_ONLINE, id, Map.of());
        }
    }

    /** Sets {@code to} when the row matches {@code guard}; returns the previous status, or null. */
    private String move(UUID id, String guard, String to) {
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE workspaces w SET status = :to, updated_at = now()
                        FROM (SELECT id, status FROM workspaces WHERE id = :id AND %s FOR UPDATE) old
                        WHERE w.id = old.id RETURNING old.status""".formatted(guard))
                .bind("id", id).bind("to", to).mapTo(String.class).findOne().orElse(null));
    }

    public void updateCard(UUID id, JsonNode card) {
        int n = jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE workspaces SET agent_card = CAST(:card AS jsonb), updated_at = now() WHERE id = :id AND status <> 'removed'")
                .bind("card", Json.write(card)).bind("id", id).execute());
        if (n == 0) throw ApiError.notFound("workspace not found");
        events.emit(EventTypes.AGENT_CARD_UPDATED, id, JsonMap.of("agent_card", card));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
