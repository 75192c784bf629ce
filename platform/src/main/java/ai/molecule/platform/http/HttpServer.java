package ai.molecule.platform.http;

import ai.molecule.platform.PlatformConfig;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Javalin wiring shared by every route: JSON shape, errors, 404s, body limits, CORS,
 * rate limiting, metrics and security headers, in upstream's middleware order.
 */
public final class HttpServer {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    /** The largest body any route accepts (the A2A proxy's limit); routes may cap lower. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final List<String> API_PREFIXES = List.of("/workspaces", "/registry", "/health", "/admin",
            "/metrics", "/settings", "/bundles", "/org", "/orgs", "/templates", "/plugins", "/webhooks",
            "/channels", "/ws", "/events", "/approvals", "/canvas");
    /** The canvas build inside the jar (module {@code canvas/}); absent in a platform built alone. */
    private static final String CANVAS_DIR = "/canvas";
    private static final boolean CANVAS_BUILT = HttpServer.class.getResource(CANVAS_DIR + "/index.html") != null;

    private final Javalin app;

    public HttpServer(PlatformConfig config, HttpMetrics metrics, List<RouteModule> modules) {
        RateLimiter limiter = config.devMode() ? null : new RateLimiter(config.rateLimitPerMinute());
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = MAX_BODY_BYTES; // JSON bodies; multipart parts are streamed to disk, capped below
            cfg.jetty.multipartConfig.maxFileSize(ai.molecule.platform.files.ChatFiles.MAX_FILE_BYTES, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(ai.molecule.platform.files.ChatFiles.MAX_TOTAL_BYTES, io.javalin.config.SizeUnit.BYTES);
            cfg.http.defaultContentType = "application/json; charset=utf-8";
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.jsonMapper(new io.javalin.json.JavalinJackson(Json.MAPPER, false));
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            if (CANVAS_BUILT) {
                cfg.staticFiles.add(sf -> {
                    sf.hostedPath = "/";
                    sf.directory = CANVAS_DIR;
                    sf.location = Location.CLASSPATH;
                });
            }

            var r = cfg.routes;
            r.before(ctx -> {
                cors(ctx, config);
                if (limiter != null) limiter.check(ctx);
                else ctx.header("X-RateLimit-Limit", "unlimited");
                metrics.start(ctx);
                securityHeaders(ctx);
            });
            r.before(ctx -> {
                if (ctx.method() == HandlerType.OPTIONS) {
                    ctx.status(204);
                    ctx.skipRemainingHandlers();
                }
            });
            r.before(InputGuard::check);
            r.after(metrics::finish);
            r.exception(ApiError.class, (e, ctx) -> {
                // a body that says retry_after (waking 503, busy 503) says it in the header too (spec §3.2)
                if (e.body().get("retry_after") instanceof Number n) ctx.header("Retry-After", String.valueOf(n));
                ctx.status(e.status()).json(e.body());
            });
            r.exception(HttpResponseException.class, HttpServer::frameworkError);
            r.exception(Exception.class, (e, ctx) -> {
                log.error("unhandled error on {} {}", ctx.method(), LogSafe.of(ctx.path()), LogSafe.throwable(e));
                ctx.status(500).json(java.util.Map.of("error", "internal server error"));
            });
            for (RouteModule m : modules) m.addTo(r);
        });
    }

    /**
     * Javalin's own failures: a deep link of the canvas → its index.html; any other unknown route →
     * Gin's plain 404 text; too large → 413 JSON.
     */
    private static void frameworkError(HttpResponseException e, Context ctx) {
        if (e.getStatus() == HttpStatus.NOT_FOUND.getCode() && isCanvasDeepLink(ctx)) {
            serveCanvasIndex(ctx);
        } else if (e.getStatus() == HttpStatus.NOT_FOUND.getCode() || e.getStatus() == HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("404 page not found");
        } else if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
            ctx.status(413).json(java.util.Map.of("error", "request body too large"));
        } else {
            ctx.status(e.getStatus()).json(java.util.Map.of("error", e.getMessage().toLowerCase()));
        }
    }

    /** A GET for a page of the canvas: not an API path, not a file (no dot in the last segment). */
    static boolean isCanvasDeepLink(Context ctx) {
        if (!CANVAS_BUILT || ctx.method() != HandlerType.GET) return false;
        String path = ctx.path();
        if (isApi(path) || path.equals("/agents") || path.startsWith("/agents/")) return false;
        return !path.substring(path.lastIndexOf('/') + 1).contains(".");
    }

    private static void serveCanvasIndex(Context ctx) {
        try (InputStream in = HttpServer.class.getResourceAsStream(CANVAS_DIR + "/index.html")) {
            ctx.status(200).contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache")
                    .result(in.readAllBytes());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static boolean isApi(String path) {
        return API_PREFIXES.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    private static void cors(Context ctx, PlatformConfig config) {
        String origin = ctx.header("Origin");
        if (origin == null || config.corsOrigins().stream().noneMatch(o -> o.equalsIgnoreCase(origin))) return;
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Credentials", "true");
        ctx.header("Vary", "Origin");
        if (ctx.method() == HandlerType.OPTIONS) {
            ctx.header("Access-Control-Allow-Methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS");
            ctx.header("Access-Control-Allow-Headers", "Origin,Content-Type,X-Workspace-ID,Authorization");
        }
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        ctx.header("Content-Security-Policy", isApi(ctx.path()) ? "default-src 'self'"
                : "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:");
    }

    public HttpServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
