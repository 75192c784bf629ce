package ai.molecule.platform.provisioner;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.secrets.SecretService;
import ai.molecule.platform.tokens.TokenService;
import ai.molecule.runtime.RuntimeSettings;
import ai.molecule.runtime.platform.TokenStore;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every provisioner does before starting a runtime, and when it cannot: the config
 * dir written, the workspace token handed over, the environment ({@link SecretService#values}: the same rule as
 * {@code /secrets/values}, then the fixed variables of spec §6, which win), and a failed provision made visible (status failed, the
 * reason in last_sample_error, WORKSPACE_PROVISION_FAILED).
 */
public final class LaunchPlans {
    private final Jdbi jdbi;
    private final WorkspaceFiles files;
    private final SecretService secrets;
    private final TokenService tokens;
    private final EventBus events;
    private final Supplier<String> platformUrl;
    private final Function<UUID, Path> workingDir;

    /** @param workingDir a workspace's {@code /workspace} dir, the one the files API and chat uploads use */
    public LaunchPlans(Jdbi jdbi, WorkspaceFiles files, SecretService secrets, TokenService tokens, EventBus events,
                       Supplier<String> platformUrl, Function<UUID, Path> workingDir) {
        this.jdbi = jdbi;
        this.files = files;
        this.secrets = secrets;
        this.tokens = tokens;
        this.events = events;
        this.platformUrl = platformUrl;
        this.workingDir = workingDir;
    }

    public record Plan(UUID workspaceId, Path configDir, Map<String, String> env, String platformUrl) {
    }

    public String platformUrl() {
        return platformUrl.get();
    }

    public Plan plan(UUID id) {
        Path dir = files.writeConfig(id);
        handOverToken(id, dir);
        Map<String, String> env = new HashMap<>();
        try {
            env.putAll(secrets.values(id));
        } catch (ApiError e) {
            throw new IllegalStateException("secrets failed to decrypt: " + e.body().get("failed_keys"));
        }
        String url = platformUrl.get();
        env.put("WORKSPACE_ID", id.toString());
        env.put("WORKSPACE_CONFIG_PATH", dir.toString());
        env.put("CONFIGS_DIR", dir.toString());
        env.put("PLATFORM_URL", url);
        env.put("MOLECULE_URL", url);
        // what the agent calls /workspace: attachments are read from there, mentioned files handed back from there
        env.put(RuntimeSettings.WORKSPACE_DIR, workingDir.apply(id).toAbsolutePath().toString());
        jdbi.useHandle(h -> h.createQuery("SELECT tier, name, parent_id FROM workspaces WHERE id = :id").bind("id", id)
                .map((rs, c) -> {
                    env.put("TIER", String.valueOf(rs.getInt("tier")));
                    env.put("MOLECULE_AGENT_ROLE", rs.getString("name"));
                    if (rs.getString("parent_id") != null) env.put("PARENT_ID", rs.getString("parent_id"));
                    else env.remove("PARENT_ID"); // a fixed variable: never a secret's value
                    return null;
                }).findOne());
        return new Plan(id, dir, env, url);
    }

    /**
     * Spec §2.2: the runtime's token is minted here, before the runtime starts, and left in its
     * config dir ({@code .auth_token}, 0600, where its TokenStore reads it), so its registration
     * carries a bearer and no one else can register the workspace first. A token already there
     * that is still live is kept: restarts do not change the workspace's identity.
     */
    private void handOverToken(UUID id, Path dir) {
        TokenStore store = new TokenStore(dir);
        if (store.token().filter(t -> tokens.isTokenOf(t, id)).isPresent()) return;
        try {
            store.save(tokens.mint(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the workspace token into " + dir, e);
        }
    }

    /** The provision failed: say why where the user looks (status, last_sample_error, event). */
    public void failed(UUID id, String reason) {
        String shortReason = reason.length() > 8192 ? reason.substring(0, 8192) : reason;
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE workspaces SET status = 'failed', last_sample_error = :err, url = '', updated_at = now()
                        WHERE id = :id AND status NOT IN ('removed', 'paused')""")
                .bind("id", id).bind("err", shortReason).execute());
        if (n > 0) events.emit(EventTypes.WORKSPACE_PROVISION_FAILED, id, Map.of("error", shortReason));
    }

    public void claim(UUID id, String instanceId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE workspaces SET instance_id = :i WHERE id = :id")
                .bind("i", instanceId).bind("id", id).execute());
    }
}
