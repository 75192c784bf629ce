package ai.molecule.runtime.a2a;

import io.a2a.spec.A2AMethods;

import java.util.Map;
import java.util.Optional;

/** The JSON-RPC methods served, under their A2A 1.0 and 0.3 names. */
enum A2aMethod {
    SEND(A2AMethods.SEND_MESSAGE_METHOD, "message/send"),
    STREAM(A2AMethods.SEND_STREAMING_MESSAGE_METHOD, "message/stream"),
    GET(A2AMethods.GET_TASK_METHOD, "tasks/get"),
    LIST(A2AMethods.LIST_TASK_METHOD, "tasks/list"),
    CANCEL(A2AMethods.CANCEL_TASK_METHOD, "tasks/cancel"),
    SUBSCRIBE(A2AMethods.SUBSCRIBE_TO_TASK_METHOD, "tasks/resubscribe");

    /** A method together with the wire generation its name belongs to: answers use that generation. */
    record Call(A2aMethod method, Wire wire) {
    }

    private static final Map<String, Call> BY_NAME = byName();

    private final String v10;
    private final String v03;

    A2aMethod(String v10, String v03) {
        this.v10 = v10;
        this.v03 = v03;
    }

    static Optional<Call> resolve(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static Map<String, Call> byName() {
        var map = new java.util.HashMap<String, Call>();
        for (A2aMethod m : values()) {
            map.put(m.v10, new Call(m, Wire.V1_0));
            map.put(m.v03, new Call(m, Wire.V0_3));
        }
        return Map.copyOf(map);
    }
}
