package ai.molecule.runtime.a2a;

import java.util.List;

/**
 * What the agent card says about a workspace, before it is rendered in A2A 1.0 shape.
 *
 * @param url the JSON-RPC endpoint callers should use (the registered URL)
 */
public record AgentCardSpec(String name, String description, String version, String url, List<Skill> skills,
                            boolean streaming) {

    public record Skill(String id, String name, String description, List<String> tags) {
    }
}
