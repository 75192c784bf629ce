package ai.molecule.platform.a2a;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The proxy's ceiling and idle clock, on calls that never answer (no database: broadcast-only events). */
class DeadlineTest {
    private final EventBus events = new EventBus(null);
    private final Deadline deadline = new Deadline(events, Duration.ofSeconds(1));
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        deadline.close();
        beats.shutdownNow();
    }

    @Test
    void anAnswerComesBackAsItIs() throws Exception {
        CompletableFuture<String> call = new CompletableFuture<>();
        beats.schedule(() -> call.complete("reply"), 50, TimeUnit.MILLISECONDS);
        assertThat(deadline.await(call, UUID.randomUUID(), Duration.ofSeconds(30))).isEqualTo("reply");
    }

    @Test
    void aSilentAgentIsCutOffAfterTheIdleTimeoutAndItsCallCancelled() {
        CompletableFuture<String> call = new CompletableFuture<>();
        long start = System.nanoTime();
        assertThatThrownBy(() -> deadline.await(call, UUID.randomUUID(), Duration.ofSeconds(30)))
                .isInstanceOf(TimeoutException.class).hasMessage("no sign of life from the agent for 1s");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(ms).isBetween(1_000L, 1_000L + 5 * Deadline.TICK.toMillis() + 1_000L);
        assertThat(call).isCancelled(); // the HTTP client aborts its request on this
    }

    @Test
    void eventsAboutTheTargetKeepItAliveUntilTheCeiling() {
        UUID target = UUID.randomUUID();
        beats.scheduleAtFixedRate(() -> events.emit(EventTypes.WORKSPACE_HEARTBEAT, target, Map.of()), 0, 200, TimeUnit.MILLISECONDS);
        CompletableFuture<String> call = new CompletableFuture<>();
        long start = System.nanoTime();
        assertThatThrownBy(() -> deadline.await(call, target, Duration.ofSeconds(3)))
                .isInstanceOf(TimeoutException.class).hasMessage("no reply within 3s");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(3_000L);
    }

    @Test
    void anotherWorkspacesEventsDoNotKeepACallAlive() {
        beats.scheduleAtFixedRate(() -> events.emit(EventTypes.WORKSPACE_HEARTBEAT, UUID.randomUUID(), Map.of()), 0, 200,
                TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> deadline.await(new CompletableFuture<>(), UUID.randomUUID(), Duration.ofSeconds(30)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("no sign of life");
    }
}
