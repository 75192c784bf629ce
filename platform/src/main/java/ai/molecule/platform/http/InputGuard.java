package ai.molecule.platform.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Refuses, before any route runs, input that would otherwise fail deep inside: NUL characters
 * (PostgreSQL rejects them in text and jsonb, and they do not belong in a log) in the JSON
 * body, the query or the headers, and JSON nested deeper than {@link #MAX_DEPTH} levels (it
 * would be stored, then break every reader with a smaller limit, such as {@code GET /events}).
 * The body is scanned once, token by token; a body that is not JSON is left to its route.
 */
public final class InputGuard {
    public static final int MAX_DEPTH = 64;
    private static final String BAD_BODY = "invalid request body";
    private static final JsonFactory JSON = new JsonFactory();

    private InputGuard() {
    }

    public static void check(Context ctx) {
        for (Map.Entry<String, List<String>> q : ctx.queryParamMap().entrySet()) {
            if (hasNul(q.getKey()) || q.getValue().stream().anyMatch(InputGuard::hasNul)) {
                throw ApiError.badRequest("invalid query parameter");
            }
        }
        for (Map.Entry<String, String> h : ctx.headerMap().entrySet()) {
            if (hasNul(h.getKey()) || hasNul(h.getValue())) throw ApiError.badRequest("invalid header");
        }
        if (hasNul(ctx.path())) throw ApiError.badRequest("invalid path");
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) return; // files: their route reads the parts
        String body = ctx.body();
        if (body.isEmpty()) return;
        if (hasNul(body)) throw bad("NUL character in the body");
        String start = body.stripLeading();
        if (start.startsWith("{") || start.startsWith("[")) scanJson(body);
    }

    private static void scanJson(String body) {
        try (JsonParser p = JSON.createParser(body)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (p.getParsingContext().getNestingDepth() > MAX_DEPTH) {
                            throw bad("JSON nested deeper than " + MAX_DEPTH + " levels");
                        }
                    }
                    case FIELD_NAME, VALUE_STRING -> {
                        if (hasNul(p.getText())) throw bad("NUL character in a string");
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // not JSON after all: the route answers with its own 400
        }
    }

    private static ApiError bad(String detail) {
        return new ApiError(400, BAD_BODY, Map.of("detail", detail));
    }

    private static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }
}
