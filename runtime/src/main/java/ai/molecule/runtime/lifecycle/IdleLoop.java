package ai.molecule.runtime.lifecycle;

import ai.molecule.runtime.RuntimeStats;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.PlatformException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code idle_prompt} (spec agent-side §1.7): every {@code idle_interval_seconds}, when the
 * agent has no task, it is sent to the workspace itself through the platform proxy. A busy
 * agent is not prompted, so idling never costs a model call on top of real work.
 */
public final class IdleLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IdleLoop.class);

    private final PlatformClient platform;
    private final RuntimeStats stats;
    private final String prompt;
    private final Duration interval;
    private final AtomicBoolean sending = new AtomicBoolean();
    private ScheduledFuture<?> ticks;

    public IdleLoop(PlatformClient platform, RuntimeStats stats, String prompt, Duration interval) {
        this.platform = platform;
        this.stats = stats;
        this.prompt = prompt;
        this.interval = interval;
    }

    public synchronized void start() {
        if (prompt.isBlank() || ticks != null) return;
        Duration settle = interval.compareTo(Duration.ofSeconds(60)) < 0 ? interval : Duration.ofSeconds(60);
        ticks = SharedScheduler.every(settle, interval, "idle-" + platform.self(), this::tick);
    }

    private void tick() {
        if (stats.activeTasks() > 0 || !sending.compareAndSet(false, true)) return;
        try {
            platform.a2a(platform.self(), prompt, clamp(interval));
        } catch (PlatformException e) {
            log.info("workspace {}: idle_prompt not delivered: {}", platform.self(), e.getMessage());
        } finally {
            sending.set(false);
        }
    }

    /** An idle turn gets between 60 and 300 seconds, as upstream. */
    private static Duration clamp(Duration d) {
        long s = Math.max(60, Math.min(300, d.toSeconds()));
        return Duration.ofSeconds(s);
    }

    @Override
    public synchronized void close() {
        if (ticks != null) ticks.cancel(false);
    }
}
