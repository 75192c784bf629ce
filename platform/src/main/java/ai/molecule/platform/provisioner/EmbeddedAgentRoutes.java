package ai.molecule.platform.provisioner;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.A2aResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The A2A endpoints of embedded workspaces, served by the platform for outside callers:
 * POST /agents/{id} (JSON-RPC, SSE for streams) and its agent card. The platform's own proxy
 * does not come here: it calls the runtime in process.
 */
public final class EmbeddedAgentRoutes implements RouteModule {
    private final AgentDirectory directory;

    public EmbeddedAgentRoutes(AgentDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.post("/agents/{id}", ctx -> serve(ctx, endpoint(ctx)));
        r.get("/agents/{id}/.well-known/agent-card.json", ctx -> card(ctx));
        r.get("/agents/{id}/.well-known/agent.json", ctx -> card(ctx));
    }

    private void card(Context ctx) {
        ctx.contentType("application/json").result(endpoint(ctx).agentCardJson());
    }

    private A2aEndpoint endpoint(Context ctx) {
        return directory.inProcess(Ids.parseOrNotFound(ctx.pathParam("id"), "agent not found"))
                .orElseThrow(() -> ApiError.notFound("agent not found"));
    }

    /** Runs one JSON-RPC request against an endpoint and writes its JSON or SSE answer. */
    public static void serve(Context ctx, A2aEndpoint endpoint) throws IOException {
        Map<String, String> headers = new HashMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        A2aResponse response = endpoint.handle(ctx.body(), headers);
        if (response instanceof A2aResponse.Json json) {
            ctx.status(json.status()).contentType("application/json").result(json.body());
            return;
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ((A2aResponse.Stream) response).events().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String item) {
                try {
                    out.write(("data: " + item + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        try {
            done.join();
        } catch (RuntimeException gone) {
            // the caller went away or the stream failed; nothing more to write
        }
    }
}
