package ai.molecule.platform.provisioner;

import java.util.UUID;

/**
 * Starts and stops the agent runtime behind a workspace. The runtime reports back through
 * the registry (register, heartbeat); the provisioner only owns its process.
 */
public interface Provisioner {
    String name();

    void start(UUID workspaceId);

    void stop(UUID workspaceId);

    /** Stops and starts again, keeping the workspace's identity and token. */
    default void restart(UUID workspaceId) {
        stop(workspaceId);
        start(workspaceId);
    }

    /** True when {@code url} is an endpoint this platform itself started for the workspace (exempt from SSRF rules). */
    default boolean ownsUrl(UUID workspaceId, String url) {
        return false;
    }
}
