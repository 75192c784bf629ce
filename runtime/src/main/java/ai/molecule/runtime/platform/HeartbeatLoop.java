package ai.molecule.runtime.platform;

import ai.molecule.runtime.RuntimeStats;
import ai.molecule.runtime.lifecycle.EnvDuration;
import ai.molecule.runtime.lifecycle.SharedScheduler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the platform this workspace is alive (spec agent-side §1.6): a beat every interval
 * and one right away when a task starts or ends (so the canvas never shows a phantom busy
 * agent). Beats never overlap; requests that arrive during a beat fold into one more.
 */
public final class HeartbeatLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatLoop.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlatformClient platform;
    private final RuntimeStats stats;
    private final Duration interval;
    private final AtomicBoolean beating = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile boolean closed;
    private volatile int failures;
    private ScheduledFuture<?> ticks;

    public HeartbeatLoop(PlatformClient platform, RuntimeStats stats, Duration interval) {
        this.platform = platform;
        this.stats = stats;
        this.interval = interval;
    }

    /** {@code HEARTBEAT_INTERVAL_SECONDS} from the environment, default 30. */
    public static Duration interval(Map<String, String> env) {
        return EnvDuration.seconds(env, "HEARTBEAT_INTERVAL_SECONDS", 30);
    }

    public synchronized void start() {
        if (ticks != null) return;
        stats.onChange(this::beatNow);
        ticks = SharedScheduler.every(Duration.ZERO, interval, "heartbeat-" + platform.self(), this::beatNow);
    }

    /** Asks for a beat as soon as possible. */
    public void beatNow() {
        if (closed) return;
        wanted.set(true);
        if (beating.compareAndSet(false, true)) Thread.ofVirtual().name("heartbeat-" + platform.self()).start(this::drain);
    }

    private void drain() {
        try {
            while (!closed && wanted.getAndSet(false)) beatOnce();
        } finally {
            beating.set(false);
        }
        if (wanted.get()) beatNow();
    }

    private void beatOnce() {
        RuntimeStats.Beat b = stats.snapshot();
        ObjectNode body = JSON.createObjectNode().put("workspace_id", platform.self().toString())
                .put("error_rate", b.errorRate()).put("sample_error", b.sampleError())
                .put("active_tasks", b.activeTasks()).put("current_task", b.currentTask())
                .put("uptime_seconds", b.uptimeSeconds());
        try {
            platform.heartbeat(body);
            stats.beatDelivered();
            if (failures > 0) log.info("workspace {}: heartbeat delivered again after {} failures", platform.self(), failures);
            failures = 0;
        } catch (PlatformException e) {
            // Log the first failure and then every tenth, so a platform outage does not flood the log.
            if (failures++ % 10 == 0) log.warn("workspace {}: heartbeat failed: {}", platform.self(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (ticks != null) ticks.cancel(false);
    }
}
