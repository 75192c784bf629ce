package ai.molecule.runtime.tools;

import ai.molecule.runtime.lifecycle.EnvDuration;
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
 * {@code APPROVAL_POLL_INTERVAL} (5 s).
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
                + "the decision. Only go ahead when approved is true.",
                Tool.params().addStringProperty("action", "what you want to do")
                        .addStringProperty("reason", "why it is needed").required("action").build(),
                a -> request(a.required("action"), a.optional("reason", "")));
    }

    private String request(String action, String reason) throws InterruptedException {
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
                return result(id, status.equals("approved"), decided.path("decided_by").asText(""), "status " + status);
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                return result(id, false, "", "no decision within " + timeout.toSeconds() + "s; treat it as denied");
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
