package ai.molecule.platform.http;

import io.javalin.http.Context;

import java.util.UUID;

/**
 * The {@code /workspaces/{id}/...} guard: WorkspaceAuth first (as upstream's middleware
 * runs before the handler), then the id must be a UUID.
 */
public final class WorkspaceScope {
    private final Auth auth;

    public WorkspaceScope(Auth auth) {
        this.auth = auth;
    }

    public UUID authorize(Context ctx) {
        UUID id = idOrNull(ctx);
        auth.workspace(ctx, id);
        if (id == null) throw ApiError.badRequest("invalid workspace ID");
        return id;
    }

    public static UUID idOrNull(Context ctx) {
        String raw = ctx.pathParam("id");
        return Ids.valid(raw) ? UUID.fromString(raw) : null;
    }

    public static UUID id(Context ctx) {
        return Ids.parse(ctx.pathParam("id"), "invalid workspace ID");
    }

    public Auth auth() {
        return auth;
    }
}
