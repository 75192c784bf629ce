package ai.molecule.runtime;

import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.A2aResponse;

import java.util.Map;

/** Answers in the moment between the HTTP server listening and the runtime being ready. */
final class StartingEndpoint implements A2aEndpoint {
    static final StartingEndpoint INSTANCE = new StartingEndpoint();

    @Override
    public A2aResponse handle(String jsonRpcBody, Map<String, String> headers) {
        return new A2aResponse.Json(503,
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"workspace runtime is starting\"}}");
    }

    @Override
    public String agentCardJson() {
        return "{}";
    }
}
