package ai.molecule.runtime.a2a;

import ai.molecule.runtime.RuntimeStats;
import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.agent.AgentReply;
import ai.molecule.runtime.agent.AgentTurn;
import ai.molecule.runtime.files.AttachmentManifest;
import ai.molecule.runtime.files.FileRef;
import ai.molecule.runtime.files.MentionedFiles;
import ai.molecule.runtime.files.WorkspaceDir;
import io.a2a.spec.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs one turn of the agent per task on its own virtual thread and records the outcome. Files
 * travel as paths under {@code /workspace}: the attached ones are listed after the user's text, the
 * ones the reply names go back as file parts (spec agent-side §2.2).
 */
final class AgentRunner {
    private static final Logger log = LoggerFactory.getLogger(AgentRunner.class);
    static final String NO_TEXT = "Error: message contained no text content.";
    static final String NO_RESPONSE = "(no response generated)";

    private final Agent agent;
    private final RuntimeStats stats;
    private final WorkspaceDir workspace;

    AgentRunner(Agent agent, RuntimeStats stats, WorkspaceDir workspace) {
        this.agent = agent;
        this.stats = stats;
        this.workspace = workspace;
    }

    void start(TaskRun run, SendRequest request) {
        stats.taskStarted(run.id(), request.text());
        String[] error = new String[1];
        // counted when the task ends, before its caller sees the reply, so a heartbeat after a reply includes it
        run.onEnd(state -> stats.taskEnded(run.id(), state == TaskState.TASK_STATE_FAILED ? error[0] : null));
        String text = AttachmentManifest.appendTo(request.text(), attachments(request.files()));
        AgentTurn turn = new AgentTurn(run.id(), run.contextId(), text, request.history(), request.metadata());
        Thread thread = Thread.ofVirtual().name("a2a-task-" + run.id()).unstarted(() -> execute(run, turn, error));
        if (run.started(thread)) {
            thread.start();
        } else {
            stats.taskEnded(run.id(), null);
        }
    }

    /** The files the agent can open; a part naming anything else is left out (spec: outside /workspace is rejected). */
    private List<FileRef> attachments(List<FileRef> parts) {
        return parts.stream().map(part -> {
            Optional<FileRef> file = workspace.attachment(part);
            if (file.isEmpty()) {
                log.info("file part {} names no file under {}: left out",
                        A2aServer.abbreviate(part.uri().replaceAll("\\p{Cntrl}", "?")), WorkspaceDir.MOUNT);
            }
            return file;
        }).flatMap(Optional::stream).toList();
    }

    private void execute(TaskRun run, AgentTurn turn, String[] error) {
        try {
            if (turn.text().isBlank()) {
                run.finish(TaskState.TASK_STATE_COMPLETED, reply(run, NO_TEXT, List.of(), Map.of()));
                return;
            }
            AgentReply reply = agent.respond(turn, run::chunk);
            String text = reply == null || reply.text() == null || reply.text().isBlank() ? NO_RESPONSE : reply.text();
            run.finish(TaskState.TASK_STATE_COMPLETED,
                    reply(run, text, MentionedFiles.in(text, workspace), replyMetadata(reply)));
        } catch (InterruptedException e) {
            run.cancel(); // normally canceled already: that is what interrupted the agent
        } catch (Exception | LinkageError | StackOverflowError e) {
            error[0] = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            log.debug("agent failed on task {}", run.id(), e);
            // Upstream convention: a failure is a normal agent message, callers tag it [A2A_ERROR].
            // If a cancel ended the task first, finish does nothing and no error is counted.
            run.finish(TaskState.TASK_STATE_FAILED, reply(run, "Agent error: " + error[0], List.of(), Map.of()));
        }
    }

    private static ChatMessage reply(TaskRun run, String text, List<FileRef> files, Map<String, Object> metadata) {
        return new ChatMessage(UUID.randomUUID().toString(), true, text, files, run.id(), run.contextId(), metadata);
    }

    /** {@code tool_trace} and {@code usage} as the original puts them in {@code result.metadata}. */
    private static Map<String, Object> replyMetadata(AgentReply reply) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (reply == null) {
            return metadata;
        }
        if (reply.toolTrace() != null && !reply.toolTrace().isEmpty()) {
            List<Map<String, String>> trace = reply.toolTrace().stream()
                    .map(c -> {
                        Map<String, String> call = new LinkedHashMap<>();
                        call.put("tool", c.tool());
                        call.put("input", c.input());
                        call.put("output_preview", c.outputPreview());
                        return call;
                    })
                    .toList();
            metadata.put("tool_trace", trace);
        }
        if (reply.usage() != null) {
            metadata.put("usage", Map.of("input_tokens", reply.usage().inputTokens(),
                    "output_tokens", reply.usage().outputTokens()));
        }
        return metadata;
    }
}
