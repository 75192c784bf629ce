package ai.molecule.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.UUID;

/**
 * A request body parsed as a JSON object, read field by field with type checks. Every
 * failure (not JSON, not an object, a field of the wrong type) becomes a 400 with the
 * route's own message, as Gin's binding does upstream.
 */
public final class Body {
    private final ObjectNode node;
    private final String invalidMessage;

    private Body(ObjectNode node, String invalidMessage) {
        this.node = node;
        this.invalidMessage = invalidMessage;
    }

    public static Body of(Context ctx, String invalidMessage) {
        return parse(ctx.body(), invalidMessage);
    }

    public static Body parse(String text, String invalidMessage) {
        JsonNode n;
        try {
            n = text == null || text.isBlank() ? null : Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw ApiError.badRequest(invalidMessage);
        }
        if (!(n instanceof ObjectNode o)) throw ApiError.badRequest(invalidMessage);
        return new Body(o, invalidMessage);
    }

    public ObjectNode node() {
        return node;
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** Present and JSON null. */
    public boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    private JsonNode value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public Optional<String> string(String field) {
        JsonNode v = value(field);
        if (v == null) return Optional.empty();
        if (!v.isTextual()) throw ApiError.badRequest(invalidMessage);
        return Optional.of(v.textValue());
    }

    /** A required string: absent, null or empty is rejected like Gin's binding:"required". */
    public String requiredString(String field) {
        return string(field).filter(s -> !s.isEmpty()).orElseThrow(() -> ApiError.badRequest(invalidMessage));
    }

    public Optional<Long> integer(String field) {
        JsonNode v = value(field);
        if (v == null) return Optional.empty();
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            throw ApiError.badRequest(invalidMessage);
        }
        if (!v.canConvertToLong()) throw ApiError.badRequest(invalidMessage);
        return Optional.of(v.asLong());
    }

    public Optional<Double> number(String field) {
        JsonNode v = value(field);
        if (v == null) return Optional.empty();
        if (!v.isNumber()) throw ApiError.badRequest(invalidMessage);
        return Optional.of(v.asDouble());
    }

    public Optional<Boolean> bool(String field) {
        JsonNode v = value(field);
        if (v == null) return Optional.empty();
        if (!v.isBoolean()) throw ApiError.badRequest(invalidMessage);
        return Optional.of(v.booleanValue());
    }

    public Optional<ObjectNode> object(String field) {
        JsonNode v = value(field);
        if (v == null) return Optional.empty();
        if (!(v instanceof ObjectNode o)) throw ApiError.badRequest(invalidMessage);
        return Optional.of(o);
    }

    /** Any JSON value (object, array, scalar) kept raw. */
    public Optional<JsonNode> raw(String field) {
        return Optional.ofNullable(value(field));
    }

    public Optional<UUID> uuid(String field, String invalidUuidMessage) {
        return string(field).filter(s -> !s.isEmpty()).map(s -> Ids.parse(s, invalidUuidMessage));
    }
}
