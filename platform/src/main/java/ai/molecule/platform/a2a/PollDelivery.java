package ai.molecule.platform.a2a;

import ai.molecule.platform.activity.ActivityService;
import ai.molecule.platform.workspace.Workspace;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/**
 * Agents without inbound HTTP (agent-side spec §6, poll mode) register a placeholder URL such
 * as {@code remote://no-inbound} and read their messages from their {@code a2a_receive}
 * activity. The proxy never dials such a URL: it stores the message there, durably, and
 * answers 202.
 */
final class PollDelivery {
    static final String SCHEME = "remote:";

    private PollDelivery() {
    }

    static boolean polls(Workspace ws) {
        return ws.url() != null && ws.url().regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    static ProxyResult leave(ActivityService activity, Workspace ws, UUID caller, ObjectNode rpc) {
        String method = JsonRpc.method(rpc);
        UUID id = activity.log(new ActivityService.Entry(ws.id(), "a2a_receive", caller, ws.id(), method,
                method + " → " + ws.name() + " (waiting for the agent to poll)", rpc, null, null, null, "ok", null));
        return new ProxyResult.AwaitingPoll(id);
    }
}
