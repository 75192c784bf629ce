package ai.molecule.runtime.a2a;

import java.util.concurrent.Flow;

/** The answer to one JSON-RPC request: a single JSON body, or a stream of SSE data payloads. */
public sealed interface A2aResponse {
    /** A complete JSON-RPC response (HTTP status, JSON text). */
    record Json(int status, String body) implements A2aResponse {
    }

    /** A streaming response: each item is the JSON text of one SSE {@code data:} event; completes at the end. */
    record Stream(Flow.Publisher<String> events) implements A2aResponse {
    }
}
