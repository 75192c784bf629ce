package ai.molecule.runtime.tools;

import ai.molecule.runtime.lifecycle.EnvDuration;
import ai.molecule.runtime.agent.TurnStopped;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.PlatformException;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * request_approval (spec agent-side §3.5): files the request, then polls the platform until
 * a human decides or {@code APPROVAL_TIMEOUT} (300 s) passes, every
 * {@code APPROVAL_POLL_INTERVAL} (5 s). An approval lets the model go on; a denial (or no
 * decision in time) ends the turn there, so no model can talk its way past a human's "no".
 */
final class ApprovalTool {
    private final PlatformClient platform;
    private final Duration timeout;
    private final Duration poll;

    ApprovalTool(PlatformClient platform, Map<String, String> env) {
        this.platform = platform;
        this.timeout = EnvDuration.seconds(env, "APPROVAL_TIMEOUT", 300);
        this.poll = EnvDuration.seconds(env, "APPROVAL_POLL_INTERVAL", 5);
    }

    Tool tool() {
        return new Tool("request_approval", "Ask a human to approve an action before you take it, and wait for "
                + "the decision. Go ahead only when approved is true; if the human denies it, your task ends there.",
                Tool.params().addStringProperty("action", "what you want to do")
                        .addStringProperty("reason", "why it is needed").required("action").build(),
                a -> request(a.required("action"), a.optional("reason", "")));
    }

    private String request(String action, String reason) throws InterruptedException, TurnStopped {
        String id;
        try {
            id = platform.requestApproval(action, reason).path("approval_id").asText();
        } catch (PlatformException e) {
            return "Error: " + e.getMessage();
        }
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode decided = decision(id);
            if (decided != null) {
                String status = decided.path("status").asText();
                String by = decided.path("decided_by").asText("");
                if (!status.equals("approved")) {
                    throw new TurnStopped("Stopped: the request to " + action + " was " + status
                            + (by.isBlank() ? "" : " by " + by) + " (approval " + id + "). Nothing further was done.");
                }
                return result(id, true, by, "status approved");
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new TurnStopped("Stopped: no decision on the request to " + action + " within "
                        + timeout.toString().substring(2).toLowerCase() + " (approval " + id + "), so it counts as denied. Nothing further was done.");
            }
            Thread.sleep(Math.min(poll.toMillis(), left.toMillis()));
        }
    }

    /** The decided approval row, or null while it is pending (or the platform did not answer this time). */
    private JsonNode decision(String id) {
        try {
            for (JsonNode row : platform.approvals()) {
                if (id.equals(row.path("id").asText()) && !row.path("status").asText().equals("pending")) return row;
            }
        } catch (PlatformException e) {
            // Keep waiting: a platform blip must not turn into a decision.
        }
        return null;
    }

    private static String result(String id, boolean approved, String decidedBy, String message) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("approved", approved);
        r.put("approval_id", id);
        r.put("decided_by", decidedBy);
        r.put("message", message);
        return Tool.json(r);
    }
}
