package ai.molecule.runtime.a2a;

import java.util.Map;

/**
 * One workspace's A2A server, transport-neutral. The runtime's own HTTP server serves it
 * in process mode; for an embedded workspace the platform's proxy calls it directly (no
 * socket hop) and the platform serves it at {@code /agents/{id}} for outside callers.
 */
public interface A2aEndpoint {
    /**
     * Handles one JSON-RPC request (A2A 1.0 or 0.3 method names and part shapes).
     * {@code headers} are the request headers, lower-cased names (e.g. {@code a2a-version}).
     */
    A2aResponse handle(String jsonRpcBody, Map<String, String> headers);

    /** The agent card, A2A 1.0 shape, as JSON text. */
    String agentCardJson();
}
