package ai.molecule.runtime.a2a;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.a2a.spec.A2AErrorCodes;

/**
 * JSON-RPC 2.0 envelopes, answered by us rather than the SDK so that parse and
 * invalid-request errors follow the standard (G16b: Alpha3 drops {@code "id": null}).
 */
final class JsonRpc {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonRpc() {
    }

    /** The body as a JSON object with {@code "jsonrpc":"2.0"}; anything else is a parse or invalid-request error. */
    static JsonNode readObject(String body) throws RpcException {
        JsonNode root;
        try {
            root = body == null ? null : MAPPER.readTree(body);
        } catch (JacksonException e) {
            root = null;
        }
        if (root == null || root.isMissingNode()) {
            throw new RpcException(A2AErrorCodes.JSON_PARSE_ERROR_CODE, "Parse error: the body is not valid JSON");
        }
        if (!root.isObject()) {
            throw new RpcException(A2AErrorCodes.INVALID_REQUEST_ERROR_CODE, "Invalid request: expected a JSON-RPC request object");
        }
        return root;
    }

    /** The request id: a string or a number; absent, null or of another type is rejected. */
    static JsonNode id(JsonNode request) throws RpcException {
        JsonNode id = request.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            throw new RpcException(A2AErrorCodes.INVALID_REQUEST_ERROR_CODE, "Invalid request: id must be a string or an integer");
        }
        return id;
    }

    static String method(JsonNode request) throws RpcException {
        if (!"2.0".equals(request.path("jsonrpc").asText(null))) {
            throw new RpcException(A2AErrorCodes.INVALID_REQUEST_ERROR_CODE, "Invalid request: jsonrpc must be \"2.0\"");
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual() || method.asText().isBlank()) {
            throw new RpcException(A2AErrorCodes.INVALID_REQUEST_ERROR_CODE, "Invalid request: method must be a string");
        }
        return method.asText();
    }

    static ObjectNode params(JsonNode request) throws RpcException {
        JsonNode params = request.get("params");
        if (params == null || !params.isObject()) {
            throw RpcException.invalidParams("params must be an object");
        }
        return (ObjectNode) params;
    }

    static String result(JsonNode id, JsonNode result) {
        ObjectNode response = envelope(id);
        response.set("result", result);
        return response.toString();
    }

    static String error(JsonNode id, RpcException error) {
        ObjectNode response = envelope(id);
        response.putObject("error").put("code", error.code()).put("message", error.getMessage());
        return response.toString();
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode response = MAPPER.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", id == null ? NullNode.getInstance() : id);
        return response;
    }
}
