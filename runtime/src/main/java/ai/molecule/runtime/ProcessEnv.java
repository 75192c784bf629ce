package ai.molecule.runtime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Process mode's environment (spec agent-side §1.1): WORKSPACE_ID (required), PLATFORM_URL,
 * WORKSPACE_CONFIG_PATH, PORT (0 or absent = any free port); everything else is the agent's env.
 */
public record ProcessEnv(UUID workspaceId, String platformUrl, Path configDir, int port, Map<String, String> agentEnv) {
    private static final Set<String> OWN = Set.of("WORKSPACE_ID", "PLATFORM_URL", "WORKSPACE_CONFIG_PATH", "PORT");

    public static ProcessEnv from(Map<String, String> env) throws RuntimeStartException {
        String id = env.getOrDefault("WORKSPACE_ID", "").trim();
        if (id.isEmpty()) throw new RuntimeStartException("WORKSPACE_ID is required");
        UUID workspaceId;
        try {
            workspaceId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new RuntimeStartException("WORKSPACE_ID must be a UUID, got '" + id + "'");
        }
        String platformUrl = env.getOrDefault("PLATFORM_URL", "").isBlank() ? "http://localhost:8080" : env.get("PLATFORM_URL").trim();
        String dir = env.getOrDefault("WORKSPACE_CONFIG_PATH", "").isBlank() ? "/configs" : env.get("WORKSPACE_CONFIG_PATH").trim();
        Map<String, String> agentEnv = new HashMap<>(env);
        OWN.forEach(agentEnv::remove);
        return new ProcessEnv(workspaceId, platformUrl, Path.of(dir), port(env.get("PORT")), Map.copyOf(agentEnv));
    }

    private static int port(String raw) throws RuntimeStartException {
        if (raw == null || raw.isBlank()) return 0;
        try {
            int p = Integer.parseInt(raw.trim());
            if (p >= 0 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new RuntimeStartException("PORT must be a number from 0 to 65535, got '" + raw + "'");
    }
}
