package ai.molecule.platform.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** One platform event (spec §5). {@code workspaceId} may be null for org-wide events. */
public record Event(String type, UUID workspaceId, Instant timestamp, JsonNode payload) {

    /** The /ws text frame: {"event","workspace_id","timestamp","payload"}. */
    public Map<String, Object> wsEnvelope() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", type);
        m.put("workspace_id", workspaceId == null ? "" : workspaceId.toString());
        m.put("timestamp", timestamp);
        m.put("payload", payload);
        return m;
    }

    /** The SSE data line: {"type","timestamp":unix-ms,"data"}. */
    public Map<String, Object> sseEnvelope() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("timestamp", timestamp.toEpochMilli());
        m.put("data", payload);
        return m;
    }
}
