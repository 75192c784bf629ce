package ai.molecule.runtime.tools;

import ai.molecule.runtime.lifecycle.EnvDuration;
import ai.molecule.runtime.platform.A2aReply;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.PlatformException;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** delegate_task (sync, through the platform proxy), delegate_task_async and check_task_status. */
final class DelegationTools {
    private final PlatformClient platform;
    private final PeerLookup peers;
    private final Duration timeout;

    DelegationTools(PlatformClient platform, Map<String, String> env) {
        this.platform = platform;
        this.peers = new PeerLookup(platform);
        this.timeout = EnvDuration.seconds(env, "DELEGATION_TIMEOUT", 300);
    }

    List<Tool> tools() {
        return List.of(
                new Tool("delegate_task", "Send a task to a peer workspace and wait for its answer. "
                        + "workspace_id is the peer's id or its exact name (see list_peers).",
                        Tool.params().addStringProperty("workspace_id", "the peer's id or exact name")
                                .addStringProperty("task", "what the peer should do, with all context it needs")
                                .required("workspace_id", "task").build(),
                        a -> delegate(a.required("workspace_id"), a.required("task"))),
                new Tool("delegate_task_async", "Hand a task to a peer without waiting; returns a task id for "
                        + "check_task_status. Use it to fan out work in parallel.",
                        Tool.params().addStringProperty("workspace_id", "the peer's id or exact name")
                                .addStringProperty("task", "what the peer should do")
                                .required("workspace_id", "task").build(),
                        a -> delegateAsync(a.required("workspace_id"), a.required("task"))),
                new Tool("check_task_status", "The status and result of tasks sent with delegate_task_async; "
                        + "without a task_id, the 10 latest.",
                        Tool.params().addStringProperty("task_id", "the id delegate_task_async returned").build(),
                        a -> status(a.optional("task_id", "").strip())));
    }

    private String delegate(String target, String task) {
        PeerLookup.Target t;
        A2aReply reply;
        try {
            t = peers.resolve(target);
            reply = platform.a2a(t.id(), task, timeout);
        } catch (PlatformException e) {
            return failed(target, e.getMessage());
        }
        if (reply.queued()) {
            return "Task queued for " + t.label() + ": the peer is busy and will take it when it is free. "
                    + "Do not redo it yourself; the result will be reported back.";
        }
        String error = reply.rpcError();
        if (error != null) return failed(t.label(), error);
        String text = reply.text();
        if (text.startsWith("Agent error:")) return failed(t.label(), text);
        return text.isBlank() ? "(" + t.label() + " sent no text back)" : text;
    }

    private static String failed(String target, String error) {
        return "DELEGATION FAILED to " + target + ": " + error + ". Try another peer that can do this, "
                + "do it yourself if you can, or tell the user it could not be done.";
    }

    private String delegateAsync(String target, String task) {
        try {
            PeerLookup.Target t = peers.resolve(target);
            JsonNode r = platform.delegate(t.id(), task, idempotencyKey(t.id() + ":" + task));
            return "Delegated to " + t.label() + " (task_id " + r.path("delegation_id").asText() + ", status "
                    + r.path("status").asText() + "). Use check_task_status with this task_id for the result.";
        } catch (PlatformException e) {
            return failed(target, e.getMessage());
        }
    }

    /** The platform lists delegation rows newest first; a task's newest row is its status. */
    private String status(String taskId) {
        JsonNode rows;
        try {
            rows = platform.delegations();
        } catch (PlatformException e) {
            return "Error: " + e.getMessage();
        }
        List<JsonNode> latest = new ArrayList<>();
        for (JsonNode row : rows) {
            if (!taskId.isEmpty() && taskId.equals(row.path("delegation_id").asText())) return row.toString();
            if (latest.size() < 10) latest.add(row);
        }
        String prefix = taskId.isEmpty() ? "" : "No task with id " + taskId + ". ";
        return latest.isEmpty() ? prefix + "No delegations yet." : prefix + "Latest delegations: " + Tool.json(latest);
    }

    /** Same target and task → same key, so a retried call does not start the work twice. */
    static String idempotencyKey(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
