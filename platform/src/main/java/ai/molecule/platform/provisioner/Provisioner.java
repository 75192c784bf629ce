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
}
