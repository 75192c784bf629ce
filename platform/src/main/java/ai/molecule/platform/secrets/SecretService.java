package ai.molecule.platform.secrets;

import ai.molecule.platform.http.ApiError;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Workspace and global secrets, encrypted at rest. Values leave only through
 * {@link #values(UUID)} (the runtime's bundle) and are never logged.
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

    public static void validateKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ApiError.badRequest("invalid secret key: use letters, digits and _ . - (an environment variable name)");
        }
    }

    /** Workspace keys first, then the globals it does not override; never values. */
    public List<SecretInfo> listForWorkspace(UUID workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT key, 'workspace' AS scope, created_at, updated_at FROM workspace_secrets WHERE workspace_id = :ws
                        UNION ALL
                        SELECT g.key, 'global', g.created_at, g.updated_at FROM global_secrets g
                        WHERE NOT EXISTS (SELECT 1 FROM workspace_secrets s WHERE s.workspace_id = :ws AND s.key = g.key)
                        ORDER BY scope DESC, key""")
                .bind("ws", workspaceId)
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
     * The decrypted bundle a runtime receives: globals overridden by workspace values. All
     * or nothing: a value that fails to decrypt fails the whole bundle, naming the keys.
     */
    public Map<String, String> values(UUID workspaceId) {
        Map<String, String> out = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT key, encrypted_value, encryption_version, 0 AS rank FROM global_secrets
                        UNION ALL
                        SELECT key, encrypted_value, encryption_version, 1 FROM workspace_secrets WHERE workspace_id = :ws
                        ORDER BY rank""")
                .bind("ws", workspaceId)
                .map((rs, c) -> {
                    String key = rs.getString("key");
                    try {
                        out.put(key, cipher.decrypt(rs.getBytes("encrypted_value"), rs.getInt("encryption_version")));
                        failed.remove(key);
                    } catch (SecretCipher.DecryptException e) {
                        failed.add(key);
                    }
                    return key;
                })
                .list());
        if (!failed.isEmpty()) {
            throw new ApiError(500, "one or more secrets failed to decrypt; refusing to return partial bundle",
                    Map.of("failed_keys", failed));
        }
        return out;
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
