package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.TestPlatform;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slot given back stays with its instance a moment (reused from memory, no round trip) and
 * is then freed for every instance; another instance never queues because of a kept slot.
 * Two {@link Capacity} objects on one real database stand for two platform instances.
 */
class CapacityKeepTest {
    static TestPlatform platform;
    static Jdbi db;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("MOLECULE_ENV", "development", "MOLECULE_PROVISIONER", "none");
        db = platform.platform().database().relaxed();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static UUID workspace() {
        return UUID.fromString(platform.createWorkspace("{\"name\":\"Keep\",\"external\":true}"));
    }

    private static String holderOf(UUID ws, int slot) {
        return db.withHandle(h -> h.createQuery("SELECT holder FROM a2a_slots WHERE workspace_id = :ws AND slot_no = :s")
                .bind("ws", ws).bind("s", slot).mapTo(String.class).one());
    }

    /** Kept long enough that nothing is freed between two statements of a test on a busy machine. */
    private static final Duration LONG_KEEP = Duration.ofMillis(1500);

    @Test
    void aGivenBackSlotIsReusedFromMemoryThenFreedForEveryone() {
        UUID ws = workspace();
        try (Capacity a = new Capacity(db, "instance-a", LONG_KEEP); Capacity b = new Capacity(db, "instance-b", LONG_KEEP)) {
            int slot = a.tryAcquire(ws, 1).orElseThrow();
            assertThat(b.tryAcquire(ws, 1)).as("one slot, in use by a").isEmpty();
            assertThat(a.tryAcquire(ws, 1)).isEmpty();
            assertThat(a.inFlight(ws)).isEqualTo(1);

            a.release(ws, slot);
            assertThat(a.inFlight(ws)).as("kept, not in flight").isZero();
            assertThat(holderOf(ws, slot)).as("kept: the row still names a").isEqualTo("instance-a");
            assertThat(a.tryAcquire(ws, 1)).as("a's next message takes it").isEqualTo(OptionalInt.of(slot));
            a.release(ws, slot);

            await().atMost(Duration.ofSeconds(5)).until(() -> holderOf(ws, slot) == null);
            assertThat(b.tryAcquire(ws, 1)).isEqualTo(OptionalInt.of(slot));
            assertThat(holderOf(ws, slot)).isEqualTo("instance-b");
        }
    }

    /**
     * The instance's own next message never finds its one slot "taken" while the returner is
     * freeing it: a slot that has left memory but whose row still names this instance.
     */
    @Test
    void aMessageArrivingWhileItsKeptSlotIsBeingFreedStillGetsIt() {
        UUID ws = workspace();
        try (Capacity a = new Capacity(db, "instance-a", Duration.ofMillis(1))) {
            for (int i = 0; i < 1_000; i++) {
                OptionalInt slot = a.tryAcquire(ws, 1);
                assertThat(slot).as("message %d, nothing else in flight", i).isPresent();
                a.release(ws, slot.getAsInt());
                pause(i % 3); // the next message comes before, during or after the returner's pass
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anotherInstanceWaitsOutAKeptSlotInsteadOfQueueing() {
        UUID ws = workspace();
        try (Capacity a = new Capacity(db, "instance-a"); Capacity b = new Capacity(db, "instance-b")) {
            a.release(ws, a.tryAcquire(ws, 1).orElseThrow()); // kept by a, its row still held
            assertThat(b.tryAcquire(ws, 1)).as("b waits until a frees it, then takes it").isPresent();
        }
    }

    @Test
    void aLoweredLimitIsNotExceededWithKeptSlots() {
        UUID ws = workspace();
        try (Capacity a = new Capacity(db, "instance-a")) {
            int first = a.tryAcquire(ws, 2).orElseThrow();
            int second = a.tryAcquire(ws, 2).orElseThrow();
            a.release(ws, first);
            a.release(ws, second);
            int kept = a.tryAcquire(ws, 1).orElseThrow();
            assertThat(kept).isZero(); // slot 1 is above the new limit: not handed out
            assertThat(a.tryAcquire(ws, 1)).isEmpty();
        }
    }

    @Test
    void closingFreesEveryKeptSlot() {
        UUID ws = workspace();
        Capacity a = new Capacity(db, "instance-a");
        int slot = a.tryAcquire(ws, 3).orElseThrow();
        a.release(ws, slot);
        a.close();
        assertThat(holderOf(ws, slot)).isNull();
    }
}
