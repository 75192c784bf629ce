package ai.molecule.runtime.platform;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the platform's A2A proxy answered: 202 = the target was busy and the message is
 * queued; otherwise the target's JSON-RPC response.
 */
public record A2aReply(int status, JsonNode body) {

    public boolean queued() {
        return status == 202;
    }

    /** The JSON-RPC error message, or null when the call succeeded. */
    public String rpcError() {
        JsonNode error = body.path("error");
        if (error.isMissingNode() || error.isNull()) return null;
        return error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
    }

    /** The reply text (see {@link ReplyText}). */
    public String text() {
        return ReplyText.of(body.path("result"));
    }
}
