package ai.molecule.platform.http;

import io.javalin.http.Context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per client IP, fixed one-minute window, as upstream (spec §2.7). The real TCP peer is the
 * key: X-Forwarded-For is caller-controlled and never trusted.
 */
final class RateLimiter {
    private static final long WINDOW_MS = 60_000;

    private final int limit;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final long start;
        int count;

        Window(long start) {
            this.start = start;
        }
    }

    RateLimiter(int limit) {
        this.limit = limit;
    }

    void check(Context ctx) {
        long now = System.currentTimeMillis();
        long windowStart = now - now % WINDOW_MS;
        String ip = ctx.req().getRemoteAddr();
        Window w = windows.compute(ip, (k, old) -> old == null || old.start != windowStart ? new Window(windowStart) : old);
        int used;
        synchronized (w) {
            used = ++w.count;
        }
        long resetSeconds = Math.max(1, (windowStart + WINDOW_MS - now + 999) / 1000);
        ctx.header("X-RateLimit-Limit", String.valueOf(limit));
        ctx.header("X-RateLimit-Remaining", String.valueOf(Math.max(0, limit - used)));
        ctx.header("X-RateLimit-Reset", String.valueOf((windowStart + WINDOW_MS) / 1000));
        if (used > limit) {
            ctx.header("Retry-After", String.valueOf(resetSeconds));
            throw new ApiError(429, "rate limit exceeded", Map.of("retry_after", resetSeconds));
        }
        if (windows.size() > 10_000) windows.values().removeIf(x -> x.start != windowStart);
    }
}
