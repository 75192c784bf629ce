package ai.molecule.platform.teams;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.JsonMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The agent slot of a workspace (spec §1.2, the {@code agents} table): at most one active
 * agent, which is the model the workspace runs. Assigning, replacing or moving one sets the
 * workspace's model and restarts its runtime; removing one only records it (the runtime keeps
 * its last model until the next assignment).
 */
public final class AgentSlots {
    private final Jdbi jdbi;
    private final EventBus events;
    private final Consumer<UUID> restart;

    public AgentSlots(Jdbi jdbi, EventBus events, Consumer<UUID> restart) {
        this.jdbi = jdbi;
        this.events = events;
        this.restart = restart;
    }

    private record Agent(UUID id, String model) {
    }

    public Map<String, Object> assign(UUID ws, String model) {
        Agent a = jdbi.inTransaction(h -> {
            requireWorkspace(h, ws, "workspace not found");
            if (active(h, ws).isPresent()) throw new ApiError(409, "workspace already has an active agent, use PATCH to replace");
            Agent created = insert(h, ws, model);
            setModel(h, ws, model);
            return created;
        });
        events.emit(EventTypes.AGENT_ASSIGNED, ws, JsonMap.of("agent_id", a.id().toString(), "model", model));
        restart.accept(ws);
        return JsonMap.of("agent_id", a.id().toString(), "model", model);
    }

    public Map<String, Object> replace(UUID ws, String model) {
        Agent[] oldAndNew = jdbi.inTransaction(h -> {
            Agent old = active(h, ws).orElseThrow(() -> ApiError.notFound("no active agent to replace"));
            retire(h, old, "replaced", "replaced");
            Agent created = insert(h, ws, model);
            setModel(h, ws, model);
            return new Agent[]{old, created};
        });
        Map<String, Object> body = JsonMap.of("agent_id", oldAndNew[1].id().toString(), "model", model, "old_model", oldAndNew[0].model());
        events.emit(EventTypes.AGENT_REPLACED, ws, body);
        restart.accept(ws);
        return body;
    }

    public Map<String, Object> remove(UUID ws) {
        Agent a = jdbi.inTransaction(h -> {
            Agent old = active(h, ws).orElseThrow(() -> ApiError.notFound("no active agent to remove"));
            retire(h, old, "removed", "removed");
            return old;
        });
        events.emit(EventTypes.AGENT_REMOVED, ws, JsonMap.of("agent_id", a.id().toString(), "model", a.model()));
        return JsonMap.of("status", "removed", "agent_id", a.id().toString());
    }

    public Map<String, Object> move(UUID from, UUID to) {
        Agent a = jdbi.inTransaction(h -> {
            requireWorkspace(h, to, "target workspace not found");
            Agent agent = active(h, from).orElseThrow(() -> ApiError.notFound("no active agent in source workspace"));
            if (active(h, to).isPresent()) throw new ApiError(409, "target workspace already has an active agent");
            h.createUpdate("UPDATE agents SET workspace_id = :to WHERE id = :id").bind("to", to).bind("id", agent.id()).execute();
            setModel(h, to, agent.model());
            return agent;
        });
        events.emit(EventTypes.AGENT_REMOVED, from, JsonMap.of("agent_id", a.id().toString(), "model", a.model()));
        events.emit(EventTypes.AGENT_ASSIGNED, to, JsonMap.of("agent_id", a.id().toString(), "model", a.model()));
        restart.accept(to);
        return JsonMap.of("agent_id", a.id().toString(), "model", a.model(), "from_workspace", from.toString(), "to_workspace", to.toString());
    }

    private static void requireWorkspace(Handle h, UUID id, String message) {
        boolean live = h.createQuery("SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = :id AND status <> 'removed')")
                .bind("id", id).mapTo(Boolean.class).one();
        if (!live) throw ApiError.notFound(message);
    }

    /** The active agent, locked: concurrent slot changes on one workspace go one at a time. */
    private static Optional<Agent> active(Handle h, UUID ws) {
        h.createQuery("SELECT id FROM workspaces WHERE id = :id FOR UPDATE").bind("id", ws).mapTo(UUID.class).findOne();
        return h.createQuery("SELECT id, model FROM agents WHERE workspace_id = :ws AND status = 'active' FOR UPDATE")
                .bind("ws", ws).map((rs, c) -> new Agent(rs.getObject(1, UUID.class), rs.getString(2))).findOne();
    }

    private static Agent insert(Handle h, UUID ws, String model) {
        UUID id = h.createQuery("INSERT INTO agents (workspace_id, model) VALUES (:ws, :m) RETURNING id")
                .bind("ws", ws).bind("m", model).mapTo(UUID.class).one();
        return new Agent(id, model);
    }

    private static void retire(Handle h, Agent a, String status, String reason) {
        h.createUpdate("UPDATE agents SET status = :s, removed_at = now(), removal_reason = :r WHERE id = :id")
                .bind("s", status).bind("r", reason).bind("id", a.id()).execute();
    }

    private static void setModel(Handle h, UUID ws, String model) {
        h.createUpdate("""
                        INSERT INTO workspace_config (workspace_id, data) VALUES (:id, jsonb_build_object('model', CAST(:m AS text)))
                        ON CONFLICT (workspace_id) DO UPDATE SET data = workspace_config.data || excluded.data, updated_at = now()""")
                .bind("id", ws).bind("m", model).execute();
    }
}
