package ai.molecule.platform.provisioner;

import java.util.UUID;

/**
 * {@code MOLECULE_PROVISIONER=none}: the platform starts nothing; a workspace stays
 * {@code provisioning} until its agent registers, and the provision-timeout sweep fails it
 * if none does. (Upstream without Docker fails every create at once instead.)
 */
public final class AwaitAgentProvisioner implements Provisioner {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public void start(UUID workspaceId) {
        // the agent registers itself
    }

    @Override
    public void stop(UUID workspaceId) {
        // nothing was started
    }
}
