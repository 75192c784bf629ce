package ai.molecule.runtime.a2a;

import io.a2a.spec.A2AErrorCodes;

/** A JSON-RPC error to answer with; the message is ours, never a Java exception's text. */
final class RpcException extends Exception {
    private final int code;

    RpcException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    static RpcException invalidParams(String message) {
        return new RpcException(A2AErrorCodes.INVALID_PARAMS_ERROR_CODE, message);
    }

    static RpcException taskNotFound(String taskId) {
        return new RpcException(A2AErrorCodes.TASK_NOT_FOUND_ERROR_CODE, "Task not found: " + taskId);
    }
}
