package ai.molecule.platform.http;

import io.javalin.http.Context;

/** Paging parameters, read the same way on every list route. */
public final class QueryParams {
    private QueryParams() {
    }

    /** {@code ?limit=}: absent or ≤ 0 → the default, capped at {@code max}; not a number → 400. */
    public static int limit(Context ctx, int def, int max) {
        int n = integer(ctx, "limit", def);
        return n <= 0 ? def : Math.min(n, max);
    }

    /** {@code ?offset=}: absent → 0; negative or not a number → 400. */
    public static int offset(Context ctx) {
        int n = integer(ctx, "offset", 0);
        if (n < 0) throw ApiError.badRequest("offset must be >= 0");
        return n;
    }

    private static int integer(Context ctx, String name, int def) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return def;
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be an integer");
        }
    }
}
