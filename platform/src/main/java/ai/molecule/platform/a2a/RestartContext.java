package ai.molecule.platform.a2a;

import ai.molecule.platform.http.LogSafe;
import ai.molecule.platform.secrets.SecretService;
import ai.molecule.platform.workspace.WorkspaceRepository;
import ai.molecule.platform.workspace.WorkspaceStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * After a restart, once the workspace is online again (within 30 s), tells its agent what
 * happened: when, and which environment variables it has (names only, never values).
 */
public final class RestartContext {
    private static final Logger log = LoggerFactory.getLogger(RestartContext.class);
    static final Duration WAIT_ONLINE = Duration.ofSeconds(30);

    private final A2aProxy proxy;
    private final WorkspaceRepository workspaces;
    private final SecretService secrets;

    public RestartContext(A2aProxy proxy, WorkspaceRepository workspaces, SecretService secrets) {
        this.proxy = proxy;
        this.workspaces = workspaces;
        this.secrets = secrets;
    }

    public void afterRestart(UUID id) {
        Instant restartedAt = Instant.now();
        Thread.startVirtualThread(() -> {
            try {
                if (awaitOnline(id)) proxy.forward(id, null, message(id, restartedAt), Duration.ofMinutes(5), null);
            } catch (RuntimeException e) {
                log.info("restart context for {} not delivered: {}", id, LogSafe.of(e.getMessage()));
            }
        });
    }

    private boolean awaitOnline(UUID id) {
        long end = System.nanoTime() + WAIT_ONLINE.toNanos();
        while (System.nanoTime() < end) {
            String status = workspaces.find(id).map(w -> w.status()).orElse(WorkspaceStatus.REMOVED);
            if (status.equals(WorkspaceStatus.ONLINE)) return true;
            if (status.equals(WorkspaceStatus.REMOVED) || status.equals(WorkspaceStatus.FAILED)) return false;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private ObjectNode message(UUID id, Instant restartedAt) {
        String names = secrets.listForWorkspace(id).stream().map(SecretService.SecretInfo::key).collect(Collectors.joining(", "));
        String text = "=== WORKSPACE RESTART CONTEXT ===\n"
                + "Restarted at: " + restartedAt + "\n"
                + "Available environment variables (names only): " + (names.isEmpty() ? "(none)" : names) + "\n"
                + "Your previous session ended with the restart; pick up pending work from memory and delegations.";
        ObjectNode rpc = JsonRpc.textMessage(UUID.randomUUID().toString(), UUID.randomUUID().toString(), text);
        JsonRpc.message(rpc).putObject("metadata").put("source", "platform").put("kind", "restart_context").put("layer", 1)
                .put("restart_context", true);
        return rpc;
    }
}
