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

    /** {@code model} is what the agent thinks with; a scripted model marks the agent as simulated. */
    static ObjectNode of(AgentCardSpec card, String model) {
        ObjectNode n = JSON.createObjectNode().put("name", card.name()).put("description", card.description())
                .put("version", card.version()).put("url", card.url())
                .put("model", model).put("simulated", isSimulated(model));
        ArrayNode skills = n.putArray("skills");
        for (AgentCardSpec.Skill s : card.skills()) {
            ObjectNode sk = skills.addObject().put("id", s.id()).put("name", s.name()).put("description", s.description());
            s.tags().forEach(sk.putArray("tags")::add);
        }
        n.putObject("capabilities").put("streaming", card.streaming()).put("pushNotifications", false);
        return n;
    }

    static boolean isSimulated(String model) {
        return model != null && (model.equals("scripted") || model.startsWith("scripted:"));
    }
}
