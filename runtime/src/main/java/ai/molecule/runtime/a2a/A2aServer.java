package ai.molecule.runtime.a2a;

import ai.molecule.runtime.RuntimeStats;
import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.files.WorkspaceDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.a2a.spec.A2AErrorCodes;
import io.a2a.spec.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A workspace's A2A server: JSON-RPC in both generations (1.0 PascalCase, 0.3 slash names),
 * answering in the generation of the method name. Each task runs the agent on its own
 * virtual thread; the last {@value #MAX_TASKS} tasks are kept for GetTask and ListTasks.
 * An instance holds no thread of its own, so hundreds fit in one JVM.
 *
 * <p>The SDK's request handler is not used: Alpha3 knows no 0.3 names or shapes, inverts
 * the 1.0 blocking default, opens streams without the task, keeps every task, and cannot
 * interrupt a running agent. The SDK gives the card, the method names and the error codes.
 */
public final class A2aServer implements A2aEndpoint {
    static final int MAX_TASKS = 1000;
    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final int MAX_PAGE_SIZE = 100;
    private static final Pattern SUPPORTED_VERSION = Pattern.compile("(0\\.3|1\\.0)(\\.\\d+)?");
    private static final Logger log = LoggerFactory.getLogger(A2aServer.class);

    private final String cardJson;
    private final AgentRunner runner;
    private final TaskStore tasks = new TaskStore(MAX_TASKS);

    /** @param workspace the dir behind the agent's {@code /workspace}, where attached and returned files live */
    public A2aServer(AgentCardSpec card, Agent agent, RuntimeStats stats, WorkspaceDir workspace) {
        this.cardJson = AgentCardJson.render(card);
        this.runner = new AgentRunner(Objects.requireNonNull(agent, "agent"), Objects.requireNonNull(stats, "stats"),
                Objects.requireNonNull(workspace, "workspace"));
    }

    @Override
    public String agentCardJson() {
        return cardJson;
    }

    @Override
    public A2aResponse handle(String jsonRpcBody, Map<String, String> headers) {
        JsonNode id = null;
        try {
            JsonNode request = JsonRpc.readObject(jsonRpcBody);
            id = JsonRpc.id(request);
            String method = JsonRpc.method(request);
            checkVersion(headers == null ? null : headers.get("a2a-version"));
            A2aMethod.Call call = A2aMethod.resolve(method).orElseThrow(() -> new RpcException(
                    A2AErrorCodes.METHOD_NOT_FOUND_ERROR_CODE, "Method not found: " + abbreviate(method)));
            ObjectNode params = JsonRpc.params(request);
            Wire wire = call.wire();
            return switch (call.method()) {
                case SEND -> json(id, send(params, wire));
                case STREAM -> stream(id, params, wire);
                case GET -> json(id, wire.task(find(params).view(), historyLength(params), true));
                case LIST -> json(id, list(params, wire));
                case CANCEL -> json(id, cancel(params, wire));
                case SUBSCRIBE -> subscribe(id, params, wire);
            };
        } catch (RpcException e) {
            return new A2aResponse.Json(200, JsonRpc.error(id, e));
        } catch (RuntimeException e) {
            log.warn("A2A request failed", e);
            return new A2aResponse.Json(200, JsonRpc.error(id,
                    new RpcException(A2AErrorCodes.INTERNAL_ERROR_CODE, "Internal error")));
        }
    }

    /** No header means 0.3 semantics, which we serve; so do explicit 0.3 and 1.0. */
    private static void checkVersion(String version) throws RpcException {
        if (version != null && !SUPPORTED_VERSION.matcher(version.trim()).matches()) {
            throw new RpcException(A2AErrorCodes.VERSION_NOT_SUPPORTED_ERROR_CODE,
                    "A2A version not supported: " + abbreviate(version) + " (supported: 0.3, 1.0)");
        }
    }

    private JsonNode send(ObjectNode params, Wire wire) throws RpcException {
        SendRequest request = SendRequest.parse(params);
        TaskRun run = newTask(request);
        runner.start(run, request);
        if (request.waitForResult()) {
            run.awaitEnd();
        }
        return wire.sendResult(run.view());
    }

    private A2aResponse stream(JsonNode id, ObjectNode params, Wire wire) throws RpcException {
        SendRequest request = SendRequest.parse(params);
        TaskRun run = newTask(request);
        EventStream events = EventStream.open(id, wire, run, wire.sendStreamOpensWithTask());
        runner.start(run, request);
        return new A2aResponse.Stream(events);
    }

    private A2aResponse subscribe(JsonNode id, ObjectNode params, Wire wire) throws RpcException {
        TaskRun run = find(params);
        if (run.view().state().isFinal()) {
            throw new RpcException(A2AErrorCodes.UNSUPPORTED_OPERATION_ERROR_CODE,
                    "Task " + run.id() + " has ended; use GetTask");
        }
        return new A2aResponse.Stream(EventStream.open(id, wire, run, true));
    }

    private JsonNode cancel(ObjectNode params, Wire wire) throws RpcException {
        TaskRun run = find(params);
        if (!run.cancel()) {
            throw new RpcException(A2AErrorCodes.TASK_NOT_CANCELABLE_ERROR_CODE,
                    "Task cannot be canceled: it is " + Wire.V0_3.state(run.view().state()));
        }
        return wire.task(run.view());
    }

    private JsonNode list(ObjectNode params, Wire wire) throws RpcException {
        String contextId = optionalText(params, "contextId");
        String statusName = optionalText(params, "status");
        TaskState status = statusName == null ? null : Wire.parseState(statusName);
        if (statusName != null && status == null) {
            throw RpcException.invalidParams("unknown status: " + abbreviate(statusName));
        }
        int pageSize = intParam(params, "pageSize", DEFAULT_PAGE_SIZE);
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw RpcException.invalidParams("pageSize must be between 1 and " + MAX_PAGE_SIZE);
        }
        int offset = pageOffset(optionalText(params, "pageToken"));
        Predicate<TaskRun> filter = run -> contextId == null || contextId.equals(run.contextId());
        List<TaskView> matching = tasks.newestFirst(filter).stream().map(TaskRun::view)
                .filter(v -> status == null || v.state() == status).toList();
        List<TaskView> page = matching.subList(Math.min(offset, matching.size()),
                Math.min(offset + pageSize, matching.size()));
        Integer historyLength = historyLength(params);
        boolean artifacts = params.path("includeArtifacts").asBoolean(false);
        String next = offset + pageSize < matching.size() ? String.valueOf(offset + pageSize) : "";
        return wire.taskList(page.stream().map(v -> wire.task(v, historyLength, artifacts)).toList(),
                next, page.size(), matching.size());
    }

    private TaskRun newTask(SendRequest request) {
        String taskId = UUID.randomUUID().toString();
        var message = new ChatMessage(request.messageId(), false, request.text(), request.files(), taskId,
                request.contextId(), null);
        TaskRun run = new TaskRun(taskId, request.contextId(), message);
        tasks.add(run);
        return run;
    }

    private TaskRun find(ObjectNode params) throws RpcException {
        String taskId = optionalText(params, "id");
        if (taskId == null) {
            throw RpcException.invalidParams("params.id (the task id) is required");
        }
        return tasks.find(taskId).orElseThrow(() -> RpcException.taskNotFound(abbreviate(taskId)));
    }

    private static Integer historyLength(ObjectNode params) throws RpcException {
        if (!params.hasNonNull("historyLength")) {
            return null;
        }
        int length = intParam(params, "historyLength", 0);
        if (length < 0) {
            throw RpcException.invalidParams("historyLength must not be negative");
        }
        return length;
    }

    private static int pageOffset(String token) throws RpcException {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(token));
        } catch (NumberFormatException e) {
            throw RpcException.invalidParams("invalid pageToken");
        }
    }

    private static int intParam(ObjectNode params, String name, int fallback) throws RpcException {
        JsonNode value = params.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw RpcException.invalidParams(name + " must be an integer");
        }
        return value.asInt();
    }

    private static String optionalText(ObjectNode params, String name) throws RpcException {
        JsonNode value = params.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw RpcException.invalidParams(name + " must be a string");
        }
        return value.asText();
    }

    private static A2aResponse json(JsonNode id, JsonNode result) {
        return new A2aResponse.Json(200, JsonRpc.result(id, result));
    }

    static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
