package ai.molecule.platform.events;

import java.util.Set;

/** Event names of spec §5. Those listed here are broadcast only; all others are recorded. */
public final class EventTypes {
    public static final String WORKSPACE_PROVISIONING = "WORKSPACE_PROVISIONING";
    public static final String WORKSPACE_ONLINE = "WORKSPACE_ONLINE";
    public static final String WORKSPACE_AWAITING_AGENT = "WORKSPACE_AWAITING_AGENT";
    public static final String WORKSPACE_OFFLINE = "WORKSPACE_OFFLINE";
    public static final String WORKSPACE_DEGRADED = "WORKSPACE_DEGRADED";
    public static final String WORKSPACE_PROVISION_FAILED = "WORKSPACE_PROVISION_FAILED";
    public static final String WORKSPACE_REMOVED = "WORKSPACE_REMOVED";
    public static final String WORKSPACE_PAUSED = "WORKSPACE_PAUSED";
    public static final String WORKSPACE_HIBERNATED = "WORKSPACE_HIBERNATED";
    public static final String WORKSPACE_HEARTBEAT = "WORKSPACE_HEARTBEAT";
    public static final String TASK_UPDATED = "TASK_UPDATED";
    public static final String AGENT_CARD_UPDATED = "AGENT_CARD_UPDATED";
    public static final String AGENT_MESSAGE = "AGENT_MESSAGE";
    public static final String A2A_RESPONSE = "A2A_RESPONSE";
    public static final String ACTIVITY_LOGGED = "ACTIVITY_LOGGED";
    public static final String WORKSPACE_EXPANDED = "WORKSPACE_EXPANDED";
    public static final String WORKSPACE_COLLAPSED = "WORKSPACE_COLLAPSED";
    /** PATCH /workspaces/:id moved or re-parented it (named by upstream's docs, never emitted upstream). */
    public static final String WORKSPACE_MOVED = "WORKSPACE_MOVED";
    /** PATCH /workspaces/:id changed name, role, tier, runtime or collapsed (ours: spec §5 has none). */
    public static final String WORKSPACE_UPDATED = "WORKSPACE_UPDATED";
    public static final String AGENT_ASSIGNED = "AGENT_ASSIGNED";
    public static final String AGENT_REPLACED = "AGENT_REPLACED";
    public static final String AGENT_REMOVED = "AGENT_REMOVED";

    private static final Set<String> BROADCAST_ONLY =
            Set.of(WORKSPACE_HEARTBEAT, TASK_UPDATED, AGENT_MESSAGE, A2A_RESPONSE, ACTIVITY_LOGGED);

    private EventTypes() {
    }

    public static boolean recorded(String type) {
        return !BROADCAST_ONLY.contains(type);
    }
}
