package ai.molecule.platform.schedules;

import ai.molecule.platform.http.ApiError;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** A schedule's cron expression read in its IANA time zone: when it fires next, and how often. */
record ScheduleTiming(CronExpression cron, ZoneId zone) {

    /** Validates both at the edge: {@code 400 invalid timezone: X}, or {@code 400 invalid request body} with the cron's problem. */
    static ScheduleTiming of(String cronExpr, String timezone, Instant now) {
        ZoneId zone = zone(timezone);
        CronExpression cron;
        try {
            cron = CronExpression.parse(cronExpr);
        } catch (CronExpression.InvalidCron e) {
            throw invalidCron(e.getMessage());
        }
        ScheduleTiming t = new ScheduleTiming(cron, zone);
        if (t.next(now).isEmpty()) throw invalidCron("it never fires");
        return t;
    }

    /** The timing of a stored row; rows were validated when written. */
    static ScheduleTiming stored(String cronExpr, String timezone) {
        return new ScheduleTiming(CronExpression.parse(cronExpr), ZoneId.of(timezone));
    }

    static ZoneId zone(String timezone) {
        if (!ZoneId.getAvailableZoneIds().contains(timezone)) throw ApiError.badRequest("invalid timezone: " + timezone);
        return ZoneId.of(timezone);
    }

    private static ApiError invalidCron(String why) {
        return new ApiError(400, "invalid request body", Map.of("detail", "cron_expr: " + why));
    }

    Optional<Instant> next(Instant after) {
        return cron.next(after, zone);
    }

    /** The gap between the two fires that follow {@code after} (what "stale" is measured against). */
    Duration interval(Instant after) {
        Instant first = next(after).orElse(after);
        return Duration.between(first, next(first).orElse(first));
    }
}
