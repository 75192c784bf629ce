package ai.molecule.platform.a2a;

import ai.molecule.platform.provisioner.AgentDirectory;
import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.A2aResponse;
import ai.molecule.runtime.a2a.EventStreams;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
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
final class AgentDispatcher {
    private static final int MAX_REPLY_BYTES = 10 * 1024 * 1024;

    private final AgentDirectory directory;
    private final Deadline deadline;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) // no pool growing with load
            .build();

    AgentDispatcher(AgentDirectory directory, Deadline deadline) {
        this.directory = directory;
        this.deadline = deadline;
    }

    boolean isEmbedded(UUID workspaceId) {
        return directory.inProcess(workspaceId).isPresent();
    }

    Dispatch dispatch(UUID target, String url, String body, Duration ceiling, Consumer<String> sink) {
        var local = directory.inProcess(target);
        CompletableFuture<Dispatch> call;
        if (local.isPresent()) {
            call = CompletableFuture.supplyAsync(() -> inProcess(local.get(), body, sink), Thread::startVirtualThread);
        } else if (url == null || url.isEmpty()) {
            return new Dispatch.Unreachable("workspace has no URL");
        } else {
            call = CompletableFuture.supplyAsync(() -> overHttp(url, body, sink), Thread::startVirtualThread);
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

    private Dispatch overHttp(String url, String body, Consumer<String> sink) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Accept", sink == null ? "application/json" : "text/event-stream, application/json")
                .header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (sink != null && type.startsWith("text/event-stream")) return relaySse(r, sink);
            try (InputStream in = r.body()) {
                byte[] bytes = in.readNBytes(MAX_REPLY_BYTES + 1);
                if (bytes.length > MAX_REPLY_BYTES) return new Dispatch.Failed("agent reply exceeds 10 MiB");
                return new Dispatch.Reply(r.statusCode(), new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (ConnectException e) {
            return new Dispatch.Unreachable("connection refused");
        } catch (HttpTimeoutException e) {
            return new Dispatch.Busy(e.getMessage());
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase();
            if (m.contains("reset") || m.contains("eof") || m.contains("closed")) return new Dispatch.Busy(e.getMessage());
            return new Dispatch.Failed(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Dispatch.Failed("interrupted");
        }
    }

    private static Dispatch relaySse(HttpResponse<InputStream> r, Consumer<String> sink) throws IOException {
        String last = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    last = line.substring(5).trim();
                    sink.accept(last);
                }
            }
        }
        return new Dispatch.Reply(r.statusCode(), last == null ? "{}" : last);
    }
}
