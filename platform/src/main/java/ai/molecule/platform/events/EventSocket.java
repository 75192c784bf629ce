package ai.molecule.platform.events;

import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.HttpMetrics;
import ai.molecule.platform.http.Ids;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.tokens.TokenService;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The /ws event stream (spec §1.18). A client without X-Workspace-ID is the canvas and
 * receives every event; a workspace client receives only events of workspaces it may talk
 * to. Each client has its own bounded queue (256) drained by its own virtual thread, so a
 * slow client drops its own events and never slows the emitter or other clients.
 */
public final class EventSocket implements RouteModule {
    private static final Logger log = LoggerFactory.getLogger(EventSocket.class);
    static final int BUFFER = 256;
    private static final String WORKSPACE_ATTR = "molecule.ws-client";

    private final Hierarchy hierarchy;
    private final TokenService tokens;
    private final Auth auth;
    private final HttpMetrics metrics;
    private final boolean originsRestricted;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    /** {@code originsRestricted}: CORS_ORIGINS is set, so the Origin must be listed; unset → any origin. */
    public EventSocket(EventBus bus, Hierarchy hierarchy, TokenService tokens, Auth auth, HttpMetrics metrics,
                       boolean originsRestricted) {
        this.hierarchy = hierarchy;
        this.tokens = tokens;
        this.auth = auth;
        this.metrics = metrics;
        this.originsRestricted = originsRestricted;
        bus.subscribe(e -> clients.values().forEach(c -> c.offer(e)));
    }

    private final class Client {
        final WsContext ws;
        final UUID workspace;
        final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(BUFFER);
        final Thread sender;

        Client(WsContext ws, UUID workspace) {
            this.ws = ws;
            this.workspace = workspace;
            this.sender = Thread.ofVirtual().name("ws-sender-" + ws.sessionId()).start(this::drain);
        }

        void offer(Event e) {
            queue.offer(e); // full → dropped, as upstream
        }

        private void drain() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Event e = queue.take();
                    if (workspace != null && e.workspaceId() != null && !hierarchy.canCommunicate(workspace, e.workspaceId())) {
                        continue;
                    }
                    if (!ws.session.isOpen()) return;
                    ws.send(Json.write(e.wsEnvelope()));
                }
            } catch (InterruptedException ignored) {
                // closed
            } catch (RuntimeException ex) {
                log.debug("websocket client {} stopped: {}", ws.sessionId(), ex.toString());
            }
        }
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.wsBeforeUpgrade("/ws", ctx -> {
            String origin = ctx.header("Origin");
            if (origin != null && originsRestricted && !auth.allowedOrigin(origin)) throw ApiError.forbidden("origin not allowed");
            String header = ctx.header("X-Workspace-ID");
            if (header == null || header.isBlank()) return;
            UUID ws = Ids.parse(header.trim(), "invalid X-Workspace-ID");
            boolean hasTokens;
            try {
                hasTokens = tokens.hasLiveToken(ws);
            } catch (RuntimeException e) {
                throw new ApiError(500, "auth check failed");
            }
            if (hasTokens) auth.requireTokenOf(ctx, ws);
        });
        r.ws("/ws", ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(java.time.Duration.ZERO);
                String header = ctx.header("X-Workspace-ID");
                UUID workspace = header == null || header.isBlank() ? null : UUID.fromString(header.trim());
                clients.put(ctx.sessionId(), new Client(ctx, workspace));
                metrics.websockets().incrementAndGet();
            });
            ws.onMessage(ctx -> {
                // client frames are ignored, as upstream
            });
            ws.onClose(ctx -> remove(ctx.sessionId()));
            ws.onError(ctx -> remove(ctx.sessionId()));
        });
    }

    private void remove(String sessionId) {
        Client c = clients.remove(sessionId);
        if (c != null) {
            c.sender.interrupt();
            metrics.websockets().decrementAndGet();
        }
    }

    public int clientCount() {
        return clients.size();
    }
}
