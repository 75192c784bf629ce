package ai.molecule.platform.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure with the exact status and JSON body the spec gives. Thrown from services and
 * routes; rendered by {@link HttpServer} as {@code {"error": "..."}} plus any extra keys.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final Map<String, Object> body;

    public ApiError(int status, String error) {
        this(status, error, Map.of());
    }

    public ApiError(int status, String error, Map<String, ?> extra) {
        super(error, null, false, false);
        this.status = status;
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("error", error);
        b.putAll(extra);
        this.body = b;
    }

    /** A non-error shaped body (e.g. 409 confirmation_required) with a status. */
    public static ApiError withBody(int status, Map<String, Object> body) {
        ApiError e = new ApiError(status, String.valueOf(body.getOrDefault("error", body.get("status"))));
        e.body.clear();
        e.body.putAll(body);
        return e;
    }

    public static ApiError badRequest(String error) {
        return new ApiError(400, error);
    }

    public static ApiError notFound(String error) {
        return new ApiError(404, error);
    }

    public static ApiError unauthorized(String error) {
        return new ApiError(401, error);
    }

    public static ApiError forbidden(String error) {
        return new ApiError(403, error);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }
}
