package ai.molecule.platform.schedules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The 5-field cron of crontab(5): syntax, the day OR rule, names, and next fires across DST changes. */
class CronExpressionTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
    }

    private static Instant at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    /** The first {@code n} fires after {@code from}, as wall-clock times in {@code zone}. */
    private static List<String> fires(String cron, String from, ZoneId zone, int n) {
        CronExpression c = CronExpression.parse(cron);
        List<String> out = new ArrayList<>();
        Instant t = at(from, zone);
        for (int i = 0; i < n; i++) {
            t = c.next(t, zone).orElseThrow();
            out.add(t.atZone(zone).toOffsetDateTime().toString());
        }
        return out;
    }

    @ParameterizedTest(name = "{0} after {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "* * * * *          | 2026-03-10T10:15:30 | 2026-03-10T10:16",
            "*/15 * * * *       | 2026-03-10T10:15:00 | 2026-03-10T10:30",
            "5/20 * * * *       | 2026-03-10T10:46:00 | 2026-03-10T11:05",
            "0 9-17/4 * * *     | 2026-03-10T13:00:00 | 2026-03-10T17:00",
            "0 0 1,15 * *       | 2026-03-02T00:00:00 | 2026-03-15T00:00",
            "30 8 * * mon-fri   | 2026-03-13T09:00:00 | 2026-03-16T08:30",
            "0 12 * jan,JUL *   | 2026-03-10T00:00:00 | 2026-07-01T12:00",
            "0 0 * * 7          | 2026-03-10T00:00:00 | 2026-03-15T00:00",
            "0 0 * * 0          | 2026-03-10T00:00:00 | 2026-03-15T00:00",
            "0 0 * * 5-7        | 2026-03-14T12:00:00 | 2026-03-15T00:00",
            "0 0 29 2 *         | 2026-03-10T00:00:00 | 2028-02-29T00:00",
            "@hourly            | 2026-03-10T10:00:00 | 2026-03-10T11:00",
            "@weekly            | 2026-03-10T00:00:00 | 2026-03-15T00:00",
            "0 0 ? * 1          | 2026-03-10T00:00:00 | 2026-03-16T00:00",
    })
    void nextFire(String cron, String after, String expected) {
        assertThat(CronExpression.parse(cron).next(utc(after), UTC)).contains(utc(expected));
    }

    @Test
    void dayOfMonthAndDayOfWeekBothRestrictedMatchEither() {
        // the crontab(5) example: 4:30 on the 1st and 15th of each month, plus every Friday
        assertThat(fires("30 4 1,15 * 5", "2026-05-01T05:00", UTC, 4)).containsExactly(
                "2026-05-08T04:30Z", "2026-05-15T04:30Z", "2026-05-22T04:30Z", "2026-05-29T04:30Z");
        // a starred day field means AND: every Friday that is also in 1-31/2 (odd days)
        assertThat(fires("0 0 */2 * fri", "2026-05-01T00:00", UTC, 2)).containsExactly(
                "2026-05-15T00:00Z", "2026-05-29T00:00Z");
    }

    @Test
    void theNextFireIsInTheGivenZone() {
        assertThat(fires("0 9 * * *", "2026-01-10T10:00", ZoneId.of("Asia/Tokyo"), 1)).containsExactly("2026-01-11T09:00+09:00");
    }

    @Test
    void aWallClockTimeSkippedBySpringForwardFiresOnceAfterTheGap() {
        // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT
        assertThat(fires("30 2 * * *", "2026-03-07T03:00", NEW_YORK, 3)).containsExactly(
                "2026-03-08T03:30-04:00", "2026-03-09T02:30-04:00", "2026-03-10T02:30-04:00");
        assertThat(fires("*/30 * * * *", "2026-03-08T01:00", NEW_YORK, 4)).containsExactly(
                "2026-03-08T01:30-05:00", "2026-03-08T03:00-04:00", "2026-03-08T03:30-04:00", "2026-03-08T04:00-04:00");
    }

    @Test
    void aWallClockTimeRepeatedByFallBackFiresOnce() {
        // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice
        assertThat(fires("30 1 * * *", "2026-10-31T12:00", NEW_YORK, 2)).containsExactly(
                "2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
        List<String> hourly = fires("0 * * * *", "2026-11-01T00:30", NEW_YORK, 3);
        assertThat(hourly).containsExactly("2026-11-01T01:00-04:00", "2026-11-01T02:00-05:00", "2026-11-01T03:00-05:00");
    }

    @Test
    void nextIsAlwaysStrictlyLaterEvenFromInsideTheRepeatedHour() {
        CronExpression every5 = CronExpression.parse("*/5 * * * *");
        Instant t = at("2026-11-01T00:50", NEW_YORK);
        for (int i = 0; i < 100; i++) {
            Instant n = every5.next(t, NEW_YORK).orElseThrow();
            assertThat(n).isAfter(t);
            t = n;
        }
        // from the second 01:20 (EST), the next fire is not back in the first pass (EDT)
        Instant secondPass = at("2026-11-01T01:20", NEW_YORK).plusSeconds(3600);
        assertThat(every5.next(secondPass, NEW_YORK).orElseThrow()).isAfter(secondPass);
    }

    @Test
    void anImpossibleDateNeverFires() {
        assertThat(CronExpression.parse("0 0 30 2 *").next(utc("2026-01-01T00:00:00"), UTC)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *",
            "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *", "* * * foo *", "1,,2 * * * *",
            "@every 5m", "-1 * * * *", "* * * * mon-sun"})
    void invalidExpressionsAreRejectedWithAReason(String cron) {
        assertThatThrownBy(() -> CronExpression.parse(cron)).isInstanceOf(CronExpression.InvalidCron.class)
                .hasMessageMatching(".+");
    }

    @Test
    void theReasonNamesTheField() {
        assertThatThrownBy(() -> CronExpression.parse("0 25 * * *"))
                .hasMessage("hour field '25': value 25 out of range 0-23");
    }
}
