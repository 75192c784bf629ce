package ai.molecule.platform.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Prometheus series of spec §1.1: request count and summed duration per
 * method/route-template/status, and open WebSocket connections.
 */
public final class HttpMetrics {
    private static final String START = "molecule.start-nanos";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger websockets = new AtomicInteger();
    private final Map<Route, Series> series = new ConcurrentHashMap<>();

    public HttpMetrics() {
        Gauge.builder("molecule.websocket.connections.active", websockets, AtomicInteger::get).register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
    }

    void start(Context ctx) {
        ctx.attribute(START, System.nanoTime());
    }

    void finish(Context ctx) {
        Long start = ctx.attribute(START);
        if (start == null) return;
        var matched = ctx.endpoints().matchedHttpEndpoint();
        Series s = series.computeIfAbsent(new Route(ctx.method().name(), matched == null ? "unmatched" : matched.path,
                ctx.statusCode()), this::register);
        s.requests().increment();
        s.seconds().increment((System.nanoTime() - start) / 1e9);
    }

    /** One series' key; its counters are looked up once, not rebuilt per request. */
    private record Route(String method, String path, int status) {
    }

    private record Series(Counter requests, Counter seconds) {
    }

    private Series register(Route r) {
        String[] tags = {"method", r.method(), "path", r.path(), "status", String.valueOf(r.status())};
        return new Series(Counter.builder("molecule.http.requests").tags(tags).register(registry),
                Counter.builder("molecule.http.request.duration.seconds").tags(tags).register(registry));
    }

    public AtomicInteger websockets() {
        return websockets;
    }

    public String scrape() {
        return registry.scrape();
    }
}
