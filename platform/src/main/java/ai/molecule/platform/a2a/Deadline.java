package ai.molecule.platform.a2a;

import ai.molecule.platform.events.EventBus;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The proxy's two clocks (spec §3.2 step 9): a hard ceiling per call, and an idle timeout
 * that any event about the target (a heartbeat every 30 s, activity, task updates)
 * resets, so a live agent working on a long task is never cut off while a dead one is.
 */
final class Deadline {
    private final Duration idle;
    private final Map<UUID, Long> lastEvent = new ConcurrentHashMap<>();

    Deadline(EventBus events, Duration idle) {
        this.idle = idle;
        events.subscribe(e -> {
            if (e.workspaceId() != null) lastEvent.put(e.workspaceId(), System.nanoTime());
        });
    }

    <T> T await(CompletableFuture<T> call, UUID target, Duration ceiling) throws TimeoutException, ExecutionException,
            InterruptedException {
        long start = System.nanoTime();
        long hardEnd = start + ceiling.toNanos();
        while (true) {
            long now = System.nanoTime();
            long lastSign = Math.max(start, lastEvent.getOrDefault(target, start));
            long idleEnd = lastSign + idle.toNanos();
            long wait = Math.min(hardEnd, idleEnd) - now;
            if (wait <= 0) {
                call.cancel(true);
                throw new TimeoutException(now >= hardEnd ? "no reply within " + ceiling.toSeconds() + "s"
                        : "no sign of life from the agent for " + idle.toSeconds() + "s");
            }
            try {
                return call.get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException again) {
                // re-check both clocks: an event may have moved the idle deadline
            }
        }
    }
}
