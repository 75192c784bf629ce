package ai.molecule.runtime;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What a workspace runtime needs to start, whoever starts it: the platform's embedded
 * provisioner (in process), {@link Main} (child process), or a remote operator.
 *
 * @param workspaceId its workspace
 * @param platformUrl base URL of the platform API, e.g. http://127.0.0.1:8080
 * @param configDir   the workspace's config dir (config.yaml, prompts, .auth_token)
 * @param env         environment as the agent sees it: secrets (workspace over global) plus fixed variables
 * @param selfUrl     the URL the runtime registers as its A2A endpoint
 * @param http        HTTP client for platform calls; shared by all embedded runtimes of one JVM
 */
public record RuntimeSettings(UUID workspaceId, String platformUrl, Path configDir, Map<String, String> env,
                              String selfUrl, HttpClient http) {
    /** Names the host dir behind the agent's {@code /workspace}; the platform sets it to where chat uploads land. */
    public static final String WORKSPACE_DIR = "MOLECULE_WORKSPACE_DIR";

    /** {@value #WORKSPACE_DIR}, else {@code /workspace} itself (a container that mounts it there, as the original). */
    public Path workspaceDir() {
        String dir = env.getOrDefault(WORKSPACE_DIR, "");
        return Path.of(dir.isBlank() ? "/workspace" : dir.trim());
    }
}
