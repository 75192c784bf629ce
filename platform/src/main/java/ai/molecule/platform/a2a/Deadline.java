package ai.molecule.platform.a2a;

import ai.molecule.platform.events.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The proxy's two clocks (spec §3.2 step 9): a hard ceiling per call, and an idle timeout
 * that any event about the target (a heartbeat every 30 s, activity, task updates)
 * resets, so a live agent working on a long task is never cut off while a dead one is.
 * <p>
 * The caller waits without a timeout and one sweeper thread cancels the calls whose time is
 * up ({@link #TICK} late at most): a timed wait on a virtual thread arms and disarms a timer
 * on every message, which cost about a sixth of the proxy's CPU per message.
 */
final class Deadline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deadline.class);
    static final Duration TICK = Duration.ofMillis(100);

    private final Duration idle;
    private final Map<UUID, Long> lastEvent = new ConcurrentHashMap<>();
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("a2a-deadlines").daemon().factory());

    /** One call in flight; {@code expired} says why it was cancelled, once it was. */
    private static final class Call {
        final CompletableFuture<?> future;
        final UUID target;
        final long start;
        final long hardEnd;
        final Duration ceiling;
        volatile String expired;

        Call(CompletableFuture<?> future, UUID target, Duration ceiling) {
            this.future = future;
            this.target = target;
            this.ceiling = ceiling;
            this.start = System.nanoTime();
            this.hardEnd = start + ceiling.toNanos();
        }
    }

    Deadline(EventBus events, Duration idle) {
        this.idle = idle;
        events.subscribe(e -> {
            if (e.workspaceId() != null) lastEvent.put(e.workspaceId(), System.nanoTime());
        });
        sweeper.scheduleWithFixedDelay(this::sweep, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    <T> T await(CompletableFuture<T> future, UUID target, Duration ceiling) throws TimeoutException, ExecutionException,
            InterruptedException {
        Call call = new Call(future, target, ceiling);
        calls.add(call);
        try {
            return future.get();
        } catch (CancellationException e) {
            if (call.expired != null) throw new TimeoutException(call.expired);
            throw e;
        } finally {
            calls.remove(call);
        }
    }

    /** Cancels every call past its ceiling or idle for longer than the idle timeout. */
    private void sweep() {
        long now = System.nanoTime();
        for (Call c : calls) {
            long lastSign = Math.max(c.start, lastEvent.getOrDefault(c.target, c.start));
            if (now - c.hardEnd >= 0) {
                expire(c, "no reply within " + c.ceiling.toSeconds() + "s");
            } else if (now - (lastSign + idle.toNanos()) >= 0) {
                expire(c, "no sign of life from the agent for " + idle.toSeconds() + "s");
            }
        }
    }

    private static void expire(Call c, String why) {
        c.expired = why;
        try {
            c.future.cancel(true); // runs the call's own clean-up here (the HTTP client aborts the request)
        } catch (RuntimeException e) {
            log.warn("cancelling an expired A2A call failed", e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
