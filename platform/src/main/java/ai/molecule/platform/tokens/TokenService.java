package ai.molecule.platform.tokens;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Workspace bearer tokens (spec §2.1): 32 random bytes, base64url without padding, stored
 * only as a SHA-256 hash plus an 8-character prefix. The plaintext exists once, in the
 * response that minted it.
 */
public final class TokenService {
    public static final int MAX_LIVE_PER_WORKSPACE = 50;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;

    public TokenService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record TokenInfo(UUID id, String prefix, OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {
    }

    public String mint(UUID workspaceId) {
        return jdbi.withHandle(h -> mint(h, workspaceId));
    }

    public String mint(Handle h, UUID workspaceId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        h.createUpdate("INSERT INTO workspace_auth_tokens (workspace_id, token_hash, prefix) VALUES (:ws, :hash, :prefix)")
                .bind("ws", workspaceId)
                .bind("hash", hash(token))
                .bind("prefix", token.substring(0, 8))
                .execute();
        return token;
    }

    /**
     * The workspace a live token belongs to, if any. A token of a removed workspace is dead.
     * Bumps last_used_at.
     */
    public Optional<UUID> ownerOf(String token) {
        if (token == null || token.isEmpty()) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE workspace_auth_tokens t SET last_used_at = now()
                        FROM workspaces w
                        WHERE t.token_hash = :hash AND t.revoked_at IS NULL
                          AND w.id = t.workspace_id AND w.status <> 'removed'
                        RETURNING t.workspace_id""")
                .bind("hash", hash(token))
                .mapTo(UUID.class)
                .findOne());
    }

    public boolean isTokenOf(String token, UUID workspaceId) {
        return ownerOf(token).filter(workspaceId::equals).isPresent();
    }

    public boolean hasLiveToken(UUID workspaceId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM workspace_auth_tokens WHERE workspace_id = :ws AND revoked_at IS NULL)")
                .bind("ws", workspaceId).mapTo(Boolean.class).one());
    }

    /** Any live workspace token anywhere: the switch between AdminAuth fail-open and closed. */
    public boolean anyLiveToken() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM workspace_auth_tokens WHERE revoked_at IS NULL)")
                .mapTo(Boolean.class).one());
    }

    public int liveCount(UUID workspaceId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM workspace_auth_tokens WHERE workspace_id = :ws AND revoked_at IS NULL")
                .bind("ws", workspaceId).mapTo(Integer.class).one());
    }

    public List<TokenInfo> list(UUID workspaceId, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, prefix, created_at, last_used_at FROM workspace_auth_tokens
                        WHERE workspace_id = :ws AND revoked_at IS NULL
                        ORDER BY created_at DESC LIMIT :limit OFFSET :offset""")
                .bind("ws", workspaceId).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> new TokenInfo(rs.getObject("id", UUID.class), rs.getString("prefix"),
                        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("last_used_at", OffsetDateTime.class)))
                .list());
    }

    public boolean revoke(UUID workspaceId, UUID tokenId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE workspace_auth_tokens SET revoked_at = now()
                        WHERE id = :id AND workspace_id = :ws AND revoked_at IS NULL""")
                .bind("id", tokenId).bind("ws", workspaceId).execute()) > 0;
    }

    public void revokeAll(Handle h, List<UUID> workspaceIds) {
        if (workspaceIds.isEmpty()) return;
        h.createUpdate("UPDATE workspace_auth_tokens SET revoked_at = now() WHERE workspace_id IN (<ids>) AND revoked_at IS NULL")
                .bindList("ids", workspaceIds).execute();
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
