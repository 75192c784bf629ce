package ai.molecule.runtime.tools;

import ai.molecule.runtime.agent.AgentTool;
import ai.molecule.runtime.platform.PlatformClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tools every workspace agent has (spec agent-side §3.2): delegation, peers, own info,
 * messages to the user, memory and approvals, all through the platform API as this
 * workspace. {@code env} supplies the tuning knobs (DELEGATION_TIMEOUT, APPROVAL_TIMEOUT,
 * APPROVAL_POLL_INTERVAL).
 */
public final class BuiltinTools {
    private BuiltinTools() {
    }

    public static List<AgentTool> of(PlatformClient platform, Map<String, String> env) {
        List<AgentTool> tools = new ArrayList<>();
        tools.addAll(new DelegationTools(platform, env).tools());
        tools.addAll(new WorkspaceTools(platform).tools());
        tools.addAll(new MemoryTools(platform).tools());
        tools.add(new ApprovalTool(platform, env).tool());
        return List.copyOf(tools);
    }
}
