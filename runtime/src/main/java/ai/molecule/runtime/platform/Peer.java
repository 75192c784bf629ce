package ai.molecule.runtime.platform;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A workspace this one may talk to, from {@code GET /registry/:id/peers}; parentId may be "". */
public record Peer(String id, String name, String status, String role, String parentId, List<String> skills) {

    static Peer of(JsonNode n) {
        List<String> skills = new ArrayList<>();
        n.path("agent_card").path("skills").forEach(s -> skills.add(s.path("name").asText(s.path("id").asText())));
        return new Peer(n.path("id").asText(), n.path("name").asText(), n.path("status").asText(),
                n.path("role").asText(""), n.path("parent_id").asText(""), List.copyOf(skills));
    }

    /** "name (ID, status, role)", as upstream's list_peers prints a peer. */
    public String line() {
        return name + " (" + id + ", " + status + (role.isBlank() ? "" : ", " + role) + ")";
    }
}
