package ai.molecule.platform.a2a;

import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The proxy's HTTP client for agents that are not in this JVM (Jetty's, pooled connections).
 * Its resolver never looks a name up: it connects only to the address the SSRF check passed
 * for that host (or to an IP literal), so a name cannot be re-pointed at an inside address
 * between the check and the connection (DNS rebinding).
 */
final class AgentHttpClient implements AutoCloseable {
    static final int MAX_REPLY_BYTES = 10 * 1024 * 1024;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?");

    private final HttpClient jetty = new HttpClient();
    /** Host name → the address it resolved to when it last passed the SSRF check. */
    private final Map<String, InetAddress> checked = new ConcurrentHashMap<>();

    AgentHttpClient() {
        jetty.setConnectTimeout(10_000);
        jetty.setIdleTimeout(0); // the proxy's Deadline decides how long a call may take
        jetty.setFollowRedirects(false);
        jetty.setMaxConnectionsPerDestination(1024);
        jetty.setMaxRequestsQueuedPerDestination(65_536);
        jetty.setUserAgentField(null);
        jetty.setSocketAddressResolver(this::resolve);
        // Replies are parsed and handed to the waiting request on virtual threads, as the server's are: a
        // platform pool's hand-offs cost ~15 % of the proxy's CPU per message (bench/proxy.sh).
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("agent-http");
        jetty.setExecutor(threads);
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the agent HTTP client", e);
        }
    }

    private void resolve(String host, int port, Map<String, Object> context,
                         org.eclipse.jetty.util.Promise<List<InetSocketAddress>> promise) {
        String key = host.toLowerCase(Locale.ROOT);
        InetAddress address = checked.get(key);
        try {
            if (address == null && IP_LITERAL.matcher(host).matches()) {
                address = InetAddress.getByName(host.replace("[", "").replace("]", "")); // a literal: no lookup
            }
        } catch (UnknownHostException e) {
            address = null;
        }
        if (address == null) {
            promise.failed(new UnknownHostException(host + ": no address passed the URL safety check"));
            return;
        }
        promise.succeeded(List.of(new InetSocketAddress(address, port)));
    }

    /**
     * POSTs the JSON-RPC body and completes with the reply, on Jetty's own threads: no thread
     * waits for the agent. Cancelling the future aborts the request (the proxy's Deadline).
     */
    CompletableFuture<Dispatch> post(String url, InetAddress checkedAddress, Map<String, String> headers, String body) {
        Request request;
        try {
            request = request(url, checkedAddress, headers, body, "application/json");
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Dispatch.Failed("invalid agent URL"));
        }
        CompletableFuture<Dispatch> reply = new CompletableResponseListener(request, MAX_REPLY_BYTES).send()
                .handle((response, failure) -> failure == null
                        ? new Dispatch.Reply(response.getStatus(), response.getContentAsString())
                        : failed(failure));
        reply.whenComplete((d, t) -> {
            if (reply.isCancelled()) request.abort(new CancellationException("no reply in time"));
        });
        return reply;
    }

    private static Dispatch failed(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof IllegalArgumentException && String.valueOf(cause.getMessage()).contains("exceeded")) {
            return new Dispatch.Failed("agent reply exceeds 10 MiB");
        }
        return failure(cause);
    }

    private Request request(String url, InetAddress checkedAddress, Map<String, String> headers, String body, String accept) {
        URI uri = URI.create(url);
        if (checkedAddress != null && uri.getHost() != null) checked.put(uri.getHost().toLowerCase(Locale.ROOT), checkedAddress);
        return jetty.newRequest(uri).method(HttpMethod.POST)
                .headers(h -> h.put(HttpHeader.ACCEPT, accept).put("A2A-Version", "1.0"))
                .headers(h -> headers.forEach(h::put))
                .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
    }

    /** POSTs a streaming method's body, blocking; its events go one by one to {@code sink} as they arrive. */
    Dispatch postStreaming(String url, InetAddress checkedAddress, Map<String, String> headers, String body, Consumer<String> sink) {
        Request request;
        try {
            request = request(url, checkedAddress, headers, body, "text/event-stream, application/json");
        } catch (IllegalArgumentException e) {
            return new Dispatch.Failed("invalid agent URL");
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response response = listener.get(1, TimeUnit.DAYS); // bounded by the Deadline, which interrupts
            String type = String.valueOf(response.getHeaders().get(HttpHeader.CONTENT_TYPE));
            try (InputStream in = listener.getInputStream()) {
                if (type.startsWith("text/event-stream")) return relaySse(response.getStatus(), in, sink);
                byte[] bytes = in.readNBytes(MAX_REPLY_BYTES + 1);
                if (bytes.length > MAX_REPLY_BYTES) return new Dispatch.Failed("agent reply exceeds 10 MiB");
                return new Dispatch.Reply(response.getStatus(), new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            return new Dispatch.Failed("interrupted");
        } catch (TimeoutException e) {
            request.abort(e);
            return new Dispatch.Busy("no reply");
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (IOException e) {
            return failure(e);
        }
    }

    private static Dispatch failure(Throwable cause) {
        if (cause instanceof ConnectException) return new Dispatch.Unreachable("connection refused");
        if (cause instanceof UnknownHostException) return new Dispatch.Unreachable(cause.getMessage());
        if (cause instanceof TimeoutException) return new Dispatch.Busy(cause.getMessage());
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("reset") || m.contains("eof") || m.contains("closed")) return new Dispatch.Busy(cause.getMessage());
        return new Dispatch.Failed(String.valueOf(cause));
    }

    private static Dispatch relaySse(int status, InputStream in, Consumer<String> sink) throws IOException {
        String last = null;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("data:")) {
                last = line.substring(5).trim();
                sink.accept(last);
            }
        }
        return new Dispatch.Reply(status, last == null ? "{}" : last);
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception ignored) {
            // shutting down
        }
    }
}
