package ai.molecule.platform.secrets;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.runtime.config.WorkspaceConfig;
import ai.molecule.runtime.model.ModelFactory;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Workspace and global secrets, encrypted at rest. Values leave only through
 * {@link #values(UUID)} (the runtime's bundle) and are never logged.
 *
 * <p>Which secrets a workspace gets: its own, plus the global secrets its config names —
 * {@code runtime_config.required_env}, and the key / base-URL variables of the providers of
 * its {@code model} (or its {@code MODEL_PROVIDER} secret) and {@code fallback_models}. Other
 * globals stay on the platform. Keys that change how a process starts are never accepted nor
 * handed out.
 */
public final class SecretService {
    public static final String MODEL_KEY = "MODEL_PROVIDER";
    /** Secrets become environment variables of the agent: keep keys to that shape. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");

    private final Jdbi jdbi;
    private final SecretCipher cipher;

    public SecretService(Jdbi jdbi, SecretCipher cipher) {
        this.jdbi = jdbi;
        this.cipher = cipher;
    }

    public record SecretInfo(String key, String scope, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("has_value", true);
            m.put("scope", scope);
            m.put("created_at", createdAt);
            m.put("updated_at", updatedAt);
            return m;
        }
    }

    /**
     * Variables read by the dynamic loader, the JVM, interpreters and shells before any of our
     * code runs: as a secret they would let whoever sets one run code on the host (e.g.
     * {@code JAVA_TOOL_OPTIONS=-javaagent:...}). Compared case-insensitively.
     */
    private static final Set<String> PROCESS_KEYS = Set.of(
            "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS", "JAVA_HOME", "CLASSPATH",
            "PATH", "HOME", "SHELL", "BASH_ENV", "ENV", "IFS", "PS4", "PROMPT_COMMAND", "CDPATH",
            "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONINSPECT",
            "NODE_OPTIONS", "NODE_PATH", "PERL5OPT", "PERL5LIB", "PERLLIB", "RUBYOPT", "RUBYLIB",
            "GLIBC_TUNABLES", "GCONV_PATH", "HOSTALIASES", "LOCPATH", "NLSPATH",
            "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXEC_PATH", "GIT_ASKPASS", "SSH_ASKPASS", "EDITOR", "VISUAL", "PAGER");
    private static final List<String> PROCESS_PREFIXES = List.of("LD_", "DYLD_", "BASH_FUNC_");

    public static void validateKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ApiError.badRequest("invalid secret key: use letters, digits and _ . - (an environment variable name)");
        }
        if (changesProcessStart(key)) {
            throw ApiError.badRequest("secret key " + key + " is not allowed: it changes how the agent's process starts");
        }
    }

    static boolean changesProcessStart(String key) {
        String k = key.toUpperCase(Locale.ROOT);
        return PROCESS_KEYS.contains(k) || PROCESS_PREFIXES.stream().anyMatch(k::startsWith);
    }

    /** Workspace keys first, then the globals it gets and does not override; never values. */
    public List<SecretInfo> listForWorkspace(UUID workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT key, 'workspace' AS scope, created_at, updated_at FROM workspace_secrets WHERE workspace_id = :ws
                        UNION ALL
                        SELECT g.key, 'global', g.created_at, g.updated_at FROM global_secrets g
                        WHERE g.key = ANY(:shared)
                          AND NOT EXISTS (SELECT 1 FROM workspace_secrets s WHERE s.workspace_id = :ws AND s.key = g.key)
                        ORDER BY scope DESC, key""")
                .bind("ws", workspaceId)
                .bindArray("shared", String.class, sharedGlobals(h, workspaceId, modelOverride(workspaceId)).toArray())
                .map((rs, c) -> new SecretInfo(rs.getString("key"), rs.getString("scope"),
                        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)))
                .list());
    }

    public List<SecretInfo> listGlobal() {
        return jdbi.withHandle(h -> h.createQuery("SELECT key, created_at, updated_at FROM global_secrets ORDER BY key")
                .map((rs, c) -> new SecretInfo(rs.getString("key"), "global",
                        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)))
                .list());
    }

    /**
     * The decrypted bundle a runtime receives (its environment, and {@code /secrets/values}): the
     * globals the workspace gets, overridden by its own values, without process-start keys. All
     * or nothing: a value that fails to decrypt fails the whole bundle, naming the keys.
     */
    public Map<String, String> values(UUID workspaceId) {
        Map<String, String> out = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        jdbi.useHandle(h -> {
            Map<String, String> own = decrypt(h.createQuery(
                            "SELECT key, encrypted_value, encryption_version FROM workspace_secrets WHERE workspace_id = :ws")
                    .bind("ws", workspaceId), failed);
            Set<String> shared = sharedGlobals(h, workspaceId, own.get(MODEL_KEY));
            shared.removeAll(own.keySet());
            out.putAll(decrypt(h.createQuery(
                            "SELECT key, encrypted_value, encryption_version FROM global_secrets WHERE key = ANY(:shared)")
                    .bindArray("shared", String.class, shared.toArray()), failed));
            out.putAll(own);
        });
        if (!failed.isEmpty()) {
            throw new ApiError(500, "one or more secrets failed to decrypt; refusing to return partial bundle",
                    Map.of("failed_keys", failed));
        }
        out.keySet().removeIf(SecretService::changesProcessStart); // rows stored before keys were checked
        return out;
    }

    private Map<String, String> decrypt(org.jdbi.v3.core.statement.Query q, List<String> failed) {
        Map<String, String> out = new TreeMap<>();
        q.map((rs, c) -> {
            String key = rs.getString("key");
            try {
                out.put(key, cipher.decrypt(rs.getBytes("encrypted_value"), rs.getInt("encryption_version")));
            } catch (SecretCipher.DecryptException e) {
                failed.add(key);
            }
            return key;
        }).list();
        return out;
    }

    /** The global keys a workspace's config names: required_env and its models' provider variables. */
    private static Set<String> sharedGlobals(Handle h, UUID workspaceId, String modelOverride) {
        JsonNode config = h.createQuery("SELECT data::text FROM workspace_config WHERE workspace_id = :ws")
                .bind("ws", workspaceId).mapTo(String.class).findOne().map(Json::parse).orElse(Json.MAPPER.createObjectNode());
        Set<String> names = new TreeSet<>();
        config.path("runtime_config").path("required_env").forEach(n -> names.add(n.asText()));
        String model = modelOverride != null && !modelOverride.isBlank() ? modelOverride
                : config.path("model").asText(WorkspaceConfig.DEFAULT_MODEL);
        names.addAll(ModelFactory.envNames(model));
        config.path("fallback_models").forEach(n -> names.addAll(ModelFactory.envNames(n.asText())));
        return names;
    }

    /** The workspace's MODEL_PROVIDER secret; a value that does not decrypt counts as unset (listing needs no values). */
    private String modelOverride(UUID workspaceId) {
        try {
            return workspaceValue(workspaceId, MODEL_KEY).orElse(null);
        } catch (SecretCipher.DecryptException e) {
            return null;
        }
    }

    public void setWorkspaceSecret(Handle h, UUID workspaceId, String key, String value) {
        h.createUpdate("""
                        INSERT INTO workspace_secrets (workspace_id, key, encrypted_value, encryption_version)
                        VALUES (:ws, :key, :value, :version)
                        ON CONFLICT (workspace_id, key) DO UPDATE
                        SET encrypted_value = excluded.encrypted_value, encryption_version = excluded.encryption_version,
                            updated_at = now()""")
                .bind("ws", workspaceId).bind("key", key)
                .bind("value", cipher.encrypt(value)).bind("version", SecretCipher.VERSION)
                .execute();
    }

    public void setWorkspaceSecret(UUID workspaceId, String key, String value) {
        jdbi.useHandle(h -> setWorkspaceSecret(h, workspaceId, key, value));
    }

    public boolean deleteWorkspaceSecret(UUID workspaceId, String key) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM workspace_secrets WHERE workspace_id = :ws AND key = :key")
                .bind("ws", workspaceId).bind("key", key).execute()) > 0;
    }

    public void setGlobal(String key, String value) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO global_secrets (key, encrypted_value, encryption_version) VALUES (:key, :value, :version)
                        ON CONFLICT (key) DO UPDATE
                        SET encrypted_value = excluded.encrypted_value, encryption_version = excluded.encryption_version,
                            updated_at = now()""")
                .bind("key", key).bind("value", cipher.encrypt(value)).bind("version", SecretCipher.VERSION)
                .execute());
    }

    public boolean deleteGlobal(String key) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM global_secrets WHERE key = :key").bind("key", key).execute()) > 0;
    }

    /** The workspace's own value of one key, decrypted; empty when unset. */
    public java.util.Optional<String> workspaceValue(UUID workspaceId, String key) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT encrypted_value, encryption_version FROM workspace_secrets WHERE workspace_id = :ws AND key = :key")
                .bind("ws", workspaceId).bind("key", key)
                .map((rs, c) -> cipher.decrypt(rs.getBytes(1), rs.getInt(2)))
                .findOne());
    }
}
