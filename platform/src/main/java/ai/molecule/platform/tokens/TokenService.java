package ai.molecule.platform.tokens;

import ai.molecule.platform.db.Invalidations;
import ai.molecule.platform.db.TtlCache;
import ai.molecule.platform.db.WriteBehind;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
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

    /** last_used_at is bumped at most this often per token (it is a hint, not an audit log). */
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private static final String TOKENS = "workspace_auth_tokens";
    private static final String WORKSPACES = "workspaces";

    private final Jdbi jdbi;
    private final Invalidations invalidations;
    /** Live token (hash, base64) → its workspace. Unknown tokens are not cached. */
    private final TtlCache<String, Owner> owners = new TtlCache<>(Duration.ofSeconds(30));
    private final TtlCache<UUID, Boolean> hasLive = new TtlCache<>(Duration.ofSeconds(30));
    private final TtlCache<String, Boolean> anyLive = new TtlCache<>(Duration.ofSeconds(30));
    private final WriteBehind.Lane<byte[]> used;

    private record Owner(UUID workspaceId, long usedAtNanos) {
    }

    public TokenService(Jdbi jdbi, Invalidations invalidations, WriteBehind writeBehind) {
        this.jdbi = jdbi;
        this.invalidations = invalidations;
        this.used = writeBehind.lane("token-used", TokenService::bumpLastUsed);
        invalidations.register(new Invalidations.Cache() {
            @Override
            public void invalidate(String table, UUID id) {
                if (TOKENS.equals(table)) {
                    hasLive.remove(id);
                    anyLive.clear();
                }
                if (TOKENS.equals(table) || WORKSPACES.equals(table)) {
                    owners.removeIf((hash, owner) -> owner.workspaceId().equals(id));
                }
            }

            @Override
            public void clear() {
                owners.clear();
                hasLive.clear();
                anyLive.clear();
            }
        });
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
        invalidations.changed(TOKENS, workspaceId);
        return token;
    }

    /**
     * The workspace a live token belongs to, if any. A token of a removed workspace is dead.
     * Served from a cache invalidated by every token or workspace change (any instance);
     * last_used_at is bumped in the background, at most once a minute per token.
     */
    public Optional<UUID> ownerOf(String token) {
        if (token == null || token.isEmpty()) return Optional.empty();
        byte[] hash = hash(token);
        String key = Base64.getEncoder().encodeToString(hash);
        Optional<Owner> owner = owners.get(key, k -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT t.workspace_id FROM workspace_auth_tokens t JOIN workspaces w ON w.id = t.workspace_id
                        WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND w.status <> 'removed'""")
                .bind("hash", hash)
                .mapTo(UUID.class)
                .findOne()
                .map(id -> new Owner(id, System.nanoTime() - LAST_USED_RESOLUTION.toNanos() - 1))));
        owner.ifPresent(o -> markUsed(key, hash, o));
        return owner.map(Owner::workspaceId);
    }

    private void markUsed(String key, byte[] hash, Owner o) {
        long now = System.nanoTime();
        if (now - o.usedAtNanos() < LAST_USED_RESOLUTION.toNanos()) return;
        owners.replace(key, o, new Owner(o.workspaceId(), now));
        used.add(hash);
    }

    private static void bumpLastUsed(Handle h, List<byte[]> hashes) {
        h.createUpdate("UPDATE workspace_auth_tokens SET last_used_at = now() WHERE token_hash = ANY(:hashes)")
                .bind("hashes", hashes.toArray(byte[][]::new)).execute();
    }

    public boolean isTokenOf(String token, UUID workspaceId) {
        return workspaceId != null && ownerOf(token).filter(workspaceId::equals).isPresent();
    }

    public boolean hasLiveToken(UUID workspaceId) {
        return hasLive.get(workspaceId, ws -> Optional.of(jdbi.withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM workspace_auth_tokens WHERE workspace_id = :ws AND revoked_at IS NULL)")
                .bind("ws", ws).mapTo(Boolean.class).one()))).orElseThrow();
    }

    /** Any live workspace token anywhere: the switch between AdminAuth fail-open and closed. */
    public boolean anyLiveToken() {
        return anyLive.get("any", k -> Optional.of(jdbi.withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM workspace_auth_tokens WHERE revoked_at IS NULL)")
                .mapTo(Boolean.class).one()))).orElseThrow();
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
        boolean revoked = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE workspace_auth_tokens SET revoked_at = now()
                        WHERE id = :id AND workspace_id = :ws AND revoked_at IS NULL""")
                .bind("id", tokenId).bind("ws", workspaceId).execute()) > 0;
        invalidations.changed(TOKENS, workspaceId);
        return revoked;
    }

    public void revokeAll(Handle h, List<UUID> workspaceIds) {
        if (workspaceIds.isEmpty()) return;
        h.createUpdate("UPDATE workspace_auth_tokens SET revoked_at = now() WHERE workspace_id IN (<ids>) AND revoked_at IS NULL")
                .bindList("ids", workspaceIds).execute();
        workspaceIds.forEach(id -> invalidations.changed(TOKENS, id)); // again after commit: the notification follows
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
