package ai.molecule.platform.http;

import ai.molecule.platform.PlatformConfig;
import ai.molecule.platform.tokens.TokenService;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The auth tiers of spec §2, each a check that passes or throws the spec's 401/403/503. */
public final class Auth {
    private final PlatformConfig config;
    private final TokenService tokens;

    public Auth(PlatformConfig config, TokenService tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    /** Exactly "Bearer " then the token, trimmed (spec §2.1). */
    public static Optional<String> bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.startsWith("Bearer ")) return Optional.empty();
        String t = h.substring(7).trim();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    /** AdminAuth, spec §2.3. */
    public void admin(Context ctx) {
        boolean anyLive;
        try {
            anyLive = tokens.anyLiveToken();
        } catch (RuntimeException e) {
            throw new ApiError(503, "platform datastore unavailable — retry shortly", Map.of("code", "platform_unavailable"));
        }
        if (!anyLive && config.adminToken() == null) return;
        if (config.devMode()) return;
        String bearer = bearer(ctx).orElseThrow(() -> ApiError.unauthorized("admin auth required"));
        if (config.adminToken() != null) {
            if (!isAdminToken(bearer)) throw ApiError.unauthorized("invalid admin auth token");
            return;
        }
        if (tokens.ownerOf(bearer).isEmpty()) throw ApiError.unauthorized("invalid admin auth token");
    }

    /** WorkspaceAuth, spec §2.4: a present-but-invalid bearer is never rescued by dev mode. */
    public void workspace(Context ctx, UUID workspaceId) {
        Optional<String> bearer = bearer(ctx);
        if (bearer.isPresent()) {
            if (isAdminToken(bearer.get())) return;
            // a malformed :id (null here) has no tokens: the bearer cannot be its own
            if (workspaceId == null || !tokens.isTokenOf(bearer.get(), workspaceId)) {
                throw ApiError.unauthorized("invalid workspace auth token");
            }
            return;
        }
        if (config.devMode()) return;
        throw ApiError.unauthorized("missing workspace auth token");
    }

    /** CanvasOrBearer, spec §2.5 (PUT /canvas/viewport only). */
    public void canvasOrBearer(Context ctx) {
        try {
            if (!tokens.anyLiveToken()) return;
        } catch (RuntimeException e) {
            return;
        }
        Optional<String> bearer = bearer(ctx);
        if (bearer.isPresent()) {
            if (isAdminToken(bearer.get()) || tokens.ownerOf(bearer.get()).isPresent()) return;
            throw ApiError.unauthorized("invalid admin auth token");
        }
        String origin = ctx.header("Origin");
        if (origin != null && canvasOrigin(ctx, origin)) return;
        throw ApiError.unauthorized("admin auth required");
    }

    /**
     * The registry rule (spec §2.6): a workspace with a live token must present it. Returns true
     * when the caller did; false when the workspace has no live token (whether it may bootstrap
     * is the registration's decision, under the row lock).
     */
    public boolean registry(Context ctx, UUID workspaceId) {
        boolean hasToken;
        try {
            hasToken = tokens.hasLiveToken(workspaceId);
        } catch (RuntimeException e) {
            return false;
        }
        if (hasToken) requireTokenOf(ctx, workspaceId);
        return hasToken;
    }

    /** validateDiscoveryCaller: no token yet, or dev mode, or the caller's own bearer. */
    public void discoveryCaller(Context ctx, UUID callerId) {
        if (!tokens.hasLiveToken(callerId)) return;
        if (config.devMode()) return;
        requireTokenOf(ctx, callerId);
    }

    /** Extra re-check on /state and /secrets/values: the bearer must be :id's own when it has tokens. */
    public void ownTokenIfAny(Context ctx, UUID workspaceId) {
        Optional<String> bearer = bearer(ctx);
        if (bearer.isPresent() && isAdminToken(bearer.get())) return;
        if (bearer.isEmpty() && config.devMode()) return;
        boolean hasToken;
        try {
            hasToken = tokens.hasLiveToken(workspaceId);
        } catch (RuntimeException e) {
            throw new ApiError(500, "auth check failed");
        }
        if (hasToken) requireTokenOf(ctx, workspaceId);
    }

    public void requireTokenOf(Context ctx, UUID workspaceId) {
        String bearer = bearer(ctx).orElseThrow(() -> ApiError.unauthorized("missing workspace auth token"));
        if (workspaceId == null || !tokens.isTokenOf(bearer, workspaceId)) throw ApiError.unauthorized("invalid workspace auth token");
    }

    /** The page was served by this platform itself (the canvas): Origin is http(s)://Host of the request. */
    public static boolean sameOrigin(Context ctx, String origin) {
        String host = ctx.header("Host");
        return host != null && !host.isBlank()
                && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host));
    }

    /** A page of the canvas: served by this platform, or from an allowed origin (CORS_ORIGINS). */
    public boolean canvasOrigin(Context ctx, String origin) {
        return allowedOrigin(origin) || sameOrigin(ctx, origin);
    }

    public boolean allowedOrigin(String origin) {
        return config.corsOrigins().stream().anyMatch(o -> o.equalsIgnoreCase(origin));
    }

    /** Constant-time comparison with ADMIN_TOKEN; false when none is set. */
    public boolean isAdminToken(String bearer) {
        String admin = config.adminToken();
        return admin != null && MessageDigest.isEqual(
                admin.getBytes(StandardCharsets.UTF_8), bearer.getBytes(StandardCharsets.UTF_8));
    }
}
