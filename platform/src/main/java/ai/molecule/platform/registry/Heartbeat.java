package ai.molecule.platform.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/** A parsed POST /registry/heartbeat body. */
public record Heartbeat(UUID workspaceId, double errorRate, String sampleError, int activeTasks, int uptimeSeconds,
                        String currentTask, long monthlySpend, String runtimeState, ObjectNode runtimeMetadata) {

    boolean wedged() {
        return "wedged".equals(runtimeState);
    }

    boolean managesOwnStatus() {
        return runtimeMetadata != null && runtimeMetadata.path("capabilities").path("status_mgmt").asBoolean(false);
    }
}
