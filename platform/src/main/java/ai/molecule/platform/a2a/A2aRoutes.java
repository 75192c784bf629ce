package ai.molecule.platform.a2a;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.provisioner.AgentDirectory;
import ai.molecule.platform.tokens.TokenService;
import ai.molecule.runtime.a2a.A2aHttp;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** POST /workspaces/:id/a2a: who is calling, may they, then hand over to {@link A2aProxy} (spec §3.2). */
public final class A2aRoutes implements RouteModule {
    private static final List<String> SYSTEM_PREFIXES = List.of("webhook:", "system:", "test:", "channel:");

    private final A2aProxy proxy;
    private final TokenService tokens;
    private final Auth auth;

    private final InstanceHops hops;
    private final AgentDirectory directory;

    public A2aRoutes(A2aProxy proxy, TokenService tokens, Auth auth, InstanceHops hops, AgentDirectory directory) {
        this.hops = hops;
        this.directory = directory;
        this.proxy = proxy;
        this.tokens = tokens;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.post("/workspaces/{id}/a2a", this::a2a);
        r.post("/agents/{id}", this::agents);
        r.post("/admin/a2a-queue/drop-stale", this::dropStale);
    }

    private void a2a(Context ctx) {
        UUID target = Ids.parseOrNotFound(ctx.pathParam("id"), "workspace not found");
        Duration ceiling = timeout(ctx.header("X-Timeout"));
        UUID caller = caller(ctx, target);
        ObjectNode rpc = JsonRpc.normalize(ctx.body());
        Consumer<String> sink = JsonRpc.STREAMING.contains(JsonRpc.method(rpc)) ? sseSink(ctx) : null;
        ProxyResult result = proxy.forward(target, caller, rpc, ceiling, sink);
        switch (result) {
            case ProxyResult.Replied r when r.streamed() -> { /* events already written */ }
            case ProxyResult.Replied r -> ctx.status(r.status()).contentType("application/json").result(r.body());
            case ProxyResult.Queued q -> ctx.status(202).json(JsonMap.of("queued", true, "queue_id", q.queueId().toString(),
                    "queue_depth", q.depth(),
                    "message", "workspace agent busy — request queued, will dispatch when capacity available"));
            case ProxyResult.AwaitingPoll p -> ctx.status(202).json(JsonMap.of("queued", true, "delivery_mode", "poll",
                    "activity_id", p.activityId().toString(),
                    "message", "workspace agent receives messages by polling — request left for it"));
        }
    }

    /**
     * An embedded runtime's registered URL. From another platform instance (hop token) the
     * message goes straight to the runtime, the sender having applied the rules; from anyone
     * else it is the same door as /workspaces/{id}/a2a, with the same rules.
     */
    private void agents(Context ctx) throws IOException {
        if (!hops.presented(ctx)) {
            a2a(ctx);
            return;
        }
        UUID id = Ids.parseOrNotFound(ctx.pathParam("id"), "workspace not found");
        A2aHttp.serve(ctx, directory.inProcess(id).orElse(null));
    }

    /** Steps 3–4: the caller (null = canvas/user) and its token; step 5 (hierarchy) is the proxy's. */
    private UUID caller(Context ctx, UUID target) {
        String header = ctx.header("X-Workspace-ID");
        if (header == null || header.isBlank()) return null;
        String raw = header.trim();
        if (SYSTEM_PREFIXES.stream().anyMatch(raw::startsWith) || !Ids.valid(raw)) throw ApiError.forbidden("invalid caller ID");
        UUID caller = UUID.fromString(raw);
        if (caller.equals(target)) return caller;
        if (tokens.hasLiveToken(caller)) {
            String bearer = Auth.bearer(ctx).orElseThrow(() -> ApiError.unauthorized("missing caller auth token"));
            if (!tokens.isTokenOf(bearer, caller)) throw ApiError.unauthorized("invalid caller auth token");
        }
        return caller; // the hierarchy rule is applied by the proxy itself, for every path into it
    }

    private static Duration timeout(String header) {
        if (header == null || header.isBlank()) return A2aProxy.AGENT_CEILING;
        try {
            long n = Long.parseLong(header.trim());
            return n > 0 ? Duration.ofSeconds(n) : A2aProxy.AGENT_CEILING;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("X-Timeout must be a number of seconds");
        }
    }

    /** Streams agent events to the caller as SSE; headers go out with the first event. */
    private static Consumer<String> sseSink(Context ctx) {
        boolean[] started = {false};
        return data -> {
            try {
                if (!started[0]) {
                    ctx.status(200);
                    ctx.res().setContentType("text/event-stream");
                    ctx.res().setHeader("Cache-Control", "no-cache");
                    started[0] = true;
                }
                OutputStream out = ctx.res().getOutputStream();
                out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private void dropStale(Context ctx) {
        auth.admin(ctx);
        int minutes = 60;
        String raw = ctx.queryParam("max_age_minutes");
        if (raw != null && !raw.isEmpty()) {
            try {
                minutes = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                minutes = 0;
            }
            if (minutes <= 0) throw ApiError.badRequest("max_age_minutes must be a positive integer");
        }
        String ws = ctx.queryParam("workspace_id");
        UUID workspace = ws == null || ws.isEmpty() ? null : Ids.parse(ws, "invalid workspace ID");
        ctx.json(Map.of("dropped", proxy.dropStale(minutes, workspace)));
    }
}
