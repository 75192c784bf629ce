package ai.molecule.platform.workspace;

/** The status values of spec §6, including the two the upstream enum forgot. */
public final class WorkspaceStatus {
    public static final String PROVISIONING = "provisioning";
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    public static final String DEGRADED = "degraded";
    public static final String FAILED = "failed";
    public static final String REMOVED = "removed";
    public static final String PAUSED = "paused";
    public static final String HIBERNATING = "hibernating";
    public static final String HIBERNATED = "hibernated";
    public static final String AWAITING_AGENT = "awaiting_agent";

    private WorkspaceStatus() {
    }
}
