package ai.molecule.platform.provisioner;

import ai.molecule.runtime.a2a.A2aEndpoint;

import java.util.Optional;
import java.util.UUID;

/** Which workspaces run inside this JVM, so the proxy can hand them requests with no socket hop. */
public interface AgentDirectory {
    AgentDirectory NONE = id -> Optional.empty();

    Optional<A2aEndpoint> inProcess(UUID workspaceId);
}
