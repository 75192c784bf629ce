package ai.molecule.platform.http;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {
    @Test
    void timeOrderedIdsAreVersion7UniqueAndFollowTheClock() throws InterruptedException {
        UUID first = Ids.timeOrdered();
        Thread.sleep(2); // the next id must fall in a later millisecond
        UUID later = Ids.timeOrdered();
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(Ids.valid(first.toString())).isTrue();
        assertThat(later.toString()).as("text order follows time order").isGreaterThan(first.toString());
        assertThat(first.getMostSignificantBits() >>> 16).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(5_000L));

        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) seen.add(Ids.timeOrdered());
        assertThat(seen).as("no collisions within the same milliseconds").hasSize(100_000);
    }

    @Test
    void malformedIdsAreRefused() {
        assertThat(Ids.valid("not-a-uuid")).isFalse();
        assertThat(Ids.valid(null)).isFalse();
        assertThat(Ids.valid(UUID.randomUUID().toString())).isTrue();
    }
}
