package ai.molecule.platform.memory;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-workspace key/value memory (spec §1.6): JSON values with an optional TTL and
 * optimistic concurrency on {@code version}. An expired entry is treated as absent by every
 * read and write; a write over it starts again at version 1.
 */
public final class KeyValueService {
    private final Jdbi jdbi;

    public KeyValueService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Map<String, Object>> list(UUID workspace) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM workspace_memory
                        WHERE workspace_id = :ws AND (expires_at IS NULL OR expires_at > now()) ORDER BY key""")
                .bind("ws", workspace).map((rs, c) -> entry(rs)).list());
    }

    public Map<String, Object> get(UUID workspace, String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM workspace_memory
                        WHERE workspace_id = :ws AND key = :key AND (expires_at IS NULL OR expires_at > now())""")
                        .bind("ws", workspace).bind("key", key).map((rs, c) -> entry(rs)).findOne())
                .orElseThrow(() -> ApiError.notFound("key not found"));
    }

    /**
     * Sets {@code key}; {@code ttlSeconds} null or ≤ 0 means no expiry; {@code ifMatchVersion}
     * null means unconditional, 0 create-only, n > 0 only while the live version is n.
     * Returns the new version.
     */
    public long set(UUID workspace, String key, JsonNode value, Long ttlSeconds, Long ifMatchVersion) {
        return jdbi.inTransaction(h -> {
            if (h.createQuery("SELECT 1 FROM workspaces WHERE id = :ws").bind("ws", workspace).mapTo(Integer.class).findOne().isEmpty()) {
                throw ApiError.notFound("workspace not found");
            }
            // One writer per key at a time, also when the key does not exist yet.
            h.createQuery("SELECT pg_advisory_xact_lock(hashtextextended(:lock, 0))::text")
                    .bind("lock", workspace + "/" + key).mapTo(String.class).one();
            Optional<Long> live = liveVersion(h, workspace, key);
            if (ifMatchVersion != null) checkVersion(ifMatchVersion, live);
            long version = live.map(v -> v + 1).orElse(1L);
            h.createUpdate("""
                            INSERT INTO workspace_memory (workspace_id, key, value, expires_at, version)
                            VALUES (:ws, :key, CAST(:value AS jsonb), now() + make_interval(secs => :ttl), :version)
                            ON CONFLICT (workspace_id, key) DO UPDATE SET
                              value = excluded.value, expires_at = excluded.expires_at,
                              version = excluded.version, updated_at = now()""")
                    .bind("ws", workspace).bind("key", key).bind("value", Json.write(value))
                    .bind("ttl", ttlSeconds == null || ttlSeconds <= 0 ? null : ttlSeconds.doubleValue())
                    .bind("version", version).execute();
            return version;
        });
    }

    private static Optional<Long> liveVersion(Handle h, UUID workspace, String key) {
        return h.createQuery("""
                        SELECT version FROM workspace_memory
                        WHERE workspace_id = :ws AND key = :key AND (expires_at IS NULL OR expires_at > now())""")
                .bind("ws", workspace).bind("key", key).mapTo(Long.class).findOne();
    }

    private static void checkVersion(long expected, Optional<Long> live) {
        if (expected > 0 && live.isEmpty()) {
            throw new ApiError(409, "if_match_version mismatch: key does not exist",
                    JsonMap.of("expected_version", expected, "current_version", null));
        }
        if (live.isPresent() && live.get() != expected) {
            throw new ApiError(409, "if_match_version mismatch",
                    JsonMap.of("expected_version", expected, "current_version", live.get()));
        }
    }

    /** Idempotent: deleting an absent key is fine. */
    public void delete(UUID workspace, String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM workspace_memory WHERE workspace_id = :ws AND key = :key")
                .bind("ws", workspace).bind("key", key).execute());
    }

    private static final String COLUMNS = "key, value::text AS value, version, expires_at, updated_at";

    private static Map<String, Object> entry(ResultSet rs) throws SQLException {
        Map<String, Object> m = JsonMap.of("key", rs.getString("key"), "value", Json.parse(rs.getString("value")),
                "version", rs.getLong("version"));
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        if (expires != null) m.put("expires_at", expires);
        m.put("updated_at", rs.getObject("updated_at", OffsetDateTime.class));
        return m;
    }
}
