package ai.molecule.platform.a2a;

import ai.molecule.platform.provisioner.AgentDirectory;
import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.A2aResponse;
import ai.molecule.runtime.a2a.EventStreams;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Delivers a normalised JSON-RPC request to a workspace's agent: in process when the
 * runtime lives in this JVM, over HTTP (root path, as upstream) otherwise. Streaming
 * replies are forwarded event by event to {@code sink} as they arrive.
 */
final class AgentDispatcher implements AutoCloseable {
    private final AgentDirectory directory;
    private final Deadline deadline;
    private final AgentHttpClient http = new AgentHttpClient();

    AgentDispatcher(AgentDirectory directory, Deadline deadline) {
        this.directory = directory;
        this.deadline = deadline;
    }

    @Override
    public void close() {
        http.close();
        deadline.close();
    }

    boolean isEmbedded(UUID workspaceId) {
        return directory.inProcess(workspaceId).isPresent();
    }

    /**
     * Delivers {@code body}; {@code checked} is the SSRF check's address for {@code url} (null when
     * the platform started that endpoint itself): the connection goes there, not to a new lookup.
     */
    Dispatch dispatch(UUID target, String url, InetAddress checked, Map<String, String> headers, String body,
                      Duration ceiling, Consumer<String> sink) {
        var local = directory.inProcess(target);
        CompletableFuture<Dispatch> call;
        if (local.isPresent()) {
            call = CompletableFuture.supplyAsync(() -> inProcess(local.get(), body, sink), Thread::startVirtualThread);
        } else if (url == null || url.isEmpty()) {
            return new Dispatch.Unreachable("workspace has no URL");
        } else if (sink == null) {
            call = http.post(url, checked, headers, body);
        } else {
            call = CompletableFuture.supplyAsync(() -> http.postStreaming(url, checked, headers, body, sink), Thread::startVirtualThread);
        }
        try {
            return deadline.await(call, target, ceiling);
        } catch (TimeoutException e) {
            return new Dispatch.Busy(e.getMessage());
        } catch (ExecutionException e) {
            return new Dispatch.Failed(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Dispatch.Failed("interrupted");
        }
    }

    private static Dispatch inProcess(A2aEndpoint endpoint, String body, Consumer<String> sink) {
        A2aResponse response = endpoint.handle(body, Map.of("a2a-version", "1.0"));
        if (response instanceof A2aResponse.Json json) return new Dispatch.Reply(json.status(), json.body());
        return relay(((A2aResponse.Stream) response).events(), sink);
    }

    /** Forwards every streamed event to the sink (when there is one); the last event is the reply. */
    private static Dispatch relay(Flow.Publisher<String> events, Consumer<String> sink) {
        try {
            String last = EventStreams.drain(events, sink == null ? item -> { } : sink);
            return new Dispatch.Reply(200, last == null ? "{}" : last);
        } catch (java.util.concurrent.CompletionException e) {
            return new Dispatch.Failed(String.valueOf(e.getCause()));
        }
    }
}
