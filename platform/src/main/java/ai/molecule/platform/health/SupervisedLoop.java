package ai.molecule.platform.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A background job run at a fixed delay on its own daemon thread. Each successful round ticks
 * its subsystem (what {@code /admin/liveness} shows); a failed round is logged and retried at
 * the next one, never ends the loop.
 */
public final class SupervisedLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SupervisedLoop.class);

    private final ScheduledExecutorService timer;

    private SupervisedLoop(String subsystem, Duration every, Subsystems subsystems, Runnable round) {
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(subsystem).factory());
        long ms = Math.max(1, every.toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                round.run();
                subsystems.tick(subsystem);
            } catch (RuntimeException e) {
                log.warn("{} failed, will retry: {}", subsystem, e.getMessage());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    public static SupervisedLoop start(String subsystem, Duration every, Subsystems subsystems, Runnable round) {
        return new SupervisedLoop(subsystem, every, subsystems, round);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
