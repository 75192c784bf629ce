package ai.molecule.runtime.lifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One timer thread for every runtime in the JVM (hundreds of embedded workspaces share it).
 * It only keeps time: each tick runs on its own virtual thread, so a slow platform call
 * never delays another workspace's beat.
 */
public final class SharedScheduler {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("molecule-runtime-timer").daemon().factory());

    private SharedScheduler() {
    }

    /** Runs {@code task} on a virtual thread after {@code initialDelay}, then every {@code period}. */
    public static ScheduledFuture<?> every(Duration initialDelay, Duration period, String name, Runnable task) {
        return TIMER.scheduleWithFixedDelay(() -> Thread.ofVirtual().name(name).start(task),
                initialDelay.toMillis(), Math.max(1, period.toMillis()), TimeUnit.MILLISECONDS);
    }
}
