package ai.molecule.runtime;

import ai.molecule.runtime.a2a.AgentCardSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The agent card as sent to {@code POST /registry/register} (spec agent-side §1.4): the flat
 * shape upstream's platform stores and its canvas reads, not the A2A 1.0 card we serve.
 */
final class RegistrationCard {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistrationCard() {
    }

    static ObjectNode of(AgentCardSpec card) {
        ObjectNode n = JSON.createObjectNode().put("name", card.name()).put("description", card.description())
                .put("version", card.version()).put("url", card.url());
        ArrayNode skills = n.putArray("skills");
        for (AgentCardSpec.Skill s : card.skills()) {
            ObjectNode sk = skills.addObject().put("id", s.id()).put("name", s.name()).put("description", s.description());
            s.tags().forEach(sk.putArray("tags")::add);
        }
        n.putObject("capabilities").put("streaming", card.streaming()).put("pushNotifications", false);
        return n;
    }
}
