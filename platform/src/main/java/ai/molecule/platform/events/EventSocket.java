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

    private final Hierarchy hierarchy;
    private final TokenService tokens;
    private final Auth auth;
    private final HttpMetrics metrics;
    private final boolean originsRestricted;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

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

    /**
     * A subscriber created when the upgrade is accepted, so no event emitted between the
     * handshake and Jetty's open callback is lost; its sender starts once the socket is open.
     */
    private final class Client {
        final String key;
        final UUID workspace;
        final long createdNanos = System.nanoTime();
        final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(BUFFER);
        volatile Thread sender;

        Client(String key, UUID workspace) {
            this.key = key;
            this.workspace = workspace;
        }

        void offer(Event e) {
            queue.offer(e); // full → dropped, as upstream
        }

        void open(WsContext ws) {
            sender = Thread.ofVirtual().name("ws-sender-" + ws.sessionId()).start(() -> drain(ws));
        }

        private void drain(WsContext ws) {
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

    /**
     * A client without {@code X-Workspace-ID} receives every event of the platform. A browser
     * (it always sends Origin) qualifies only from the canvas's own origin or an allowed one,
     * so no other web page the user visits can read the org's traffic (cross-site WebSocket
     * hijacking); any other client needs what the admin routes need.
     */
    private void canvasClient(io.javalin.http.Context ctx, String origin) {
        if (origin == null) {
            auth.admin(ctx);
            return;
        }
        if (!auth.canvasOrigin(ctx, origin)) throw ApiError.forbidden("origin not allowed");
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.wsBeforeUpgrade("/ws", ctx -> {
            String origin = ctx.header("Origin");
            if (origin != null && originsRestricted && !auth.allowedOrigin(origin)) throw ApiError.forbidden("origin not allowed");
            String header = ctx.header("X-Workspace-ID");
            UUID ws = null;
            if (header == null || header.isBlank()) {
                canvasClient(ctx, origin);
            } else {
                ws = Ids.parse(header.trim(), "invalid X-Workspace-ID");
                boolean hasTokens;
                try {
                    hasTokens = tokens.hasLiveToken(ws);
                } catch (RuntimeException e) {
                    throw new ApiError(500, "auth check failed");
                }
                if (hasTokens) auth.requireTokenOf(ctx, ws);
            }
            dropAbandoned();
            // The open callback gets a different context; the TCP peer address ties the two together.
            Client client = new Client(ctx.req().getRemoteAddr() + "|" + ctx.req().getRemotePort(), ws);
            clients.put(client.key, client);
        });
        r.ws("/ws", ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(java.time.Duration.ZERO);
                Client client = ctx.session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress peer
                        ? clients.get(peer.getAddress().getHostAddress() + "|" + peer.getPort()) : null;
                if (client == null) {
                    ctx.closeSession();
                    return;
                }
                sessions.put(ctx.sessionId(), client.key);
                client.open(ctx);
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
        String key = sessions.remove(sessionId);
        Client c = key == null ? null : clients.remove(key);
        if (c != null) {
            if (c.sender != null) c.sender.interrupt();
            metrics.websockets().decrementAndGet();
        }
    }

    /** An accepted upgrade whose socket never opened (client vanished mid-handshake). */
    private void dropAbandoned() {
        long limit = System.nanoTime() - java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        clients.values().removeIf(c -> c.sender == null && c.createdNanos < limit);
    }

    public int clientCount() {
        return clients.size();
    }
}
