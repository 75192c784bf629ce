package ai.molecule.runtime.a2a;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Serves an {@link A2aEndpoint} over HTTP with Javalin: POST {@code path} answers JSON, or
 * SSE ({@code data: <json>} per event) for streams; GET the well-known card paths under it.
 * Used by the runtime's process mode and by the platform.
 */
public final class A2aHttp {
    private static final String NOT_FOUND = "{\"error\":\"agent not found\"}";

    private A2aHttp() {
    }

    /** {@code endpoint} may answer null (e.g. a workspace that is gone): the route then answers 404. */
    public static void mount(RoutesConfig routes, String path, Supplier<A2aEndpoint> endpoint) {
        mount(routes, path, ctx -> endpoint.get());
    }

    /** The same for a path with parameters (e.g. {@code /agents/{id}}): the endpoint is looked up per request. */
    public static void mount(RoutesConfig routes, String path, Function<Context, A2aEndpoint> endpoint) {
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        routes.post(base.isEmpty() ? "/" : base, ctx -> serve(ctx, endpoint.apply(ctx)));
        mountCard(routes, base, endpoint);
    }

    /** Only the agent card routes (for a host that serves the JSON-RPC endpoint itself). */
    public static void mountCard(RoutesConfig routes, String base, Function<Context, A2aEndpoint> endpoint) {
        for (String card : new String[]{"/.well-known/agent-card.json", "/.well-known/agent.json"}) {
            routes.get(base + card, ctx -> {
                A2aEndpoint target = endpoint.apply(ctx);
                ctx.contentType("application/json");
                if (target == null) {
                    ctx.status(404).result(NOT_FOUND);
                } else {
                    ctx.result(target.agentCardJson());
                }
            });
        }
    }

    /** Serves one JSON-RPC request (JSON or SSE) from {@code target}; 404 when it is null. */
    public static void serve(Context ctx, A2aEndpoint target) throws IOException {
        if (target == null) {
            ctx.status(404).contentType("application/json").result(NOT_FOUND);
            return;
        }
        switch (target.handle(ctx.body(), lowerCased(ctx.headerMap()))) {
            case A2aResponse.Json json -> ctx.status(json.status()).contentType("application/json").result(json.body());
            case A2aResponse.Stream stream -> sse(ctx, stream.events());
        }
    }

    /** Writes each event as it comes and returns when the stream ends or the client goes away. */
    private static void sse(Context ctx, Flow.Publisher<String> events) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        out.flush(); // headers now, so the client sees the stream open before the first event
        try {
            EventStreams.drain(events, item -> {
                try {
                    out.write(("data: " + item + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e); // the client went away: stop the stream
                }
            });
        } catch (java.util.concurrent.CompletionException failed) {
            // the stream broke after its headers went out; ending it is all that is left to do
        }
    }

    private static Map<String, String> lowerCased(Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }
}
