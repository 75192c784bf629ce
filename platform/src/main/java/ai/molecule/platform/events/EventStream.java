package ai.molecule.platform.events;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import ai.molecule.platform.workspace.WorkspaceRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * GET /workspaces/:id/events/stream: Server-Sent Events of one workspace, written as
 * upstream does ({@code : ping} first, then {@code data: {"type","timestamp","data"}}).
 * The handler runs on its own virtual thread for the life of the stream; a comment every
 * 25 s keeps proxies from closing it and detects a gone client.
 */
public final class EventStream implements RouteModule {
    static final int BUFFER = 64;
    private static final long KEEPALIVE_SECONDS = 25;

    private final EventBus bus;
    private final WorkspaceScope scope;
    private final WorkspaceRepository workspaces;

    public EventStream(EventBus bus, WorkspaceScope scope, WorkspaceRepository workspaces) {
        this.bus = bus;
        this.scope = scope;
        this.workspaces = workspaces;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/events/stream", this::stream);
    }

    private void stream(Context ctx) throws IOException {
        UUID id = scope.authorize(ctx);
        if (workspaces.find(id).isEmpty()) throw ApiError.notFound("workspace not found");
        BlockingQueue<Event> queue = new ArrayBlockingQueue<>(BUFFER);
        Runnable unsubscribe = bus.subscribe(e -> {
            if (id.equals(e.workspaceId())) queue.offer(e); // full → dropped, as upstream
        });
        ctx.status(200).contentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        try {
            OutputStream out = ctx.res().getOutputStream();
            write(out, ": ping\n\n");
            while (true) {
                Event e = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                write(out, e == null ? ": ping\n\n" : "data: " + Json.write(e.sseEnvelope()) + "\n\n");
            }
        } catch (InterruptedException | IOException gone) {
            // client disconnected or server stopping
        } finally {
            unsubscribe.run();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
