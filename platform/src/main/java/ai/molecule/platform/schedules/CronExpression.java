package ai.molecule.platform.schedules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A 5-field UNIX cron expression (minute hour day-of-month month day-of-week), as crontab(5)
 * reads it: {@code *}, lists, ranges, steps (star-slash-15, {@code 1-30/5}, {@code 5/15} = 5 to
 * the end by 15), month and day names ({@code jan}, {@code mon-fri}), Sunday as 0 or 7, {@code ?}
 * for {@code *}, and the macros {@code @hourly @daily @midnight @weekly @monthly @yearly
 * @annually}. When day-of-month and day-of-week are both restricted (neither starts with
 * {@code *}) a day matches if either does, as in Vixie cron.
 *
 * <p>Times are wall-clock times in a zone. {@link #next} is DST-safe: a wall-clock time a
 * spring-forward gap skips fires once, shifted forward by the gap (02:30 → 03:30); one a
 * fall-back overlap repeats fires once, at its first occurrence; the result is always strictly
 * after the given instant, so the sequence of fires never stalls or goes back.
 */
public final class CronExpression {
    /** Far enough for "29 Feb on a Monday"-style rarities (leap years skip whole centuries). */
    private static final int SEARCH_DAYS = 366 * 29;
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek; // 0 = Sunday … 6 = Saturday
    private final boolean eitherDay;

    private CronExpression(String text, BitSet[] fields, boolean eitherDay) {
        this.text = text;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.eitherDay = eitherDay;
    }

    /** Thrown with a message naming the field and what is wrong with it. */
    public static final class InvalidCron extends IllegalArgumentException {
        InvalidCron(String message) {
            super(message);
        }
    }

    public static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) throw new InvalidCron("cron expression is empty");
        String text = expression.trim();
        String expanded = text.startsWith("@") ? MACROS.get(text.toLowerCase(Locale.ROOT)) : text;
        if (expanded == null) throw new InvalidCron("unknown macro " + text);
        String[] f = expanded.split("\\s+");
        if (f.length != 5) {
            throw new InvalidCron("expected 5 fields (minute hour day-of-month month day-of-week), got " + f.length);
        }
        BitSet[] fields = {
                Field.MINUTE.parse(f[0]), Field.HOUR.parse(f[1]), Field.DAY_OF_MONTH.parse(f[2]),
                Field.MONTH.parse(f[3]), Field.DAY_OF_WEEK.parse(f[4])};
        if (fields[4].get(7)) { // Sunday written as 7
            fields[4].clear(7);
            fields[4].set(0);
        }
        boolean eitherDay = !starred(f[2]) && !starred(f[4]);
        return new CronExpression(text, fields, eitherDay);
    }

    private static boolean starred(String field) {
        return field.startsWith("*") || field.startsWith("?");
    }

    /** The first fire strictly after {@code after}, in {@code zone}; empty if it never fires (e.g. 30 Feb). */
    public Optional<Instant> next(Instant after, ZoneId zone) {
        LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate day = from.toLocalDate();
        for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
            if (!matches(day)) continue;
            LocalTime start = i == 0 ? from.toLocalTime() : LocalTime.MIDNIGHT;
            for (int h = hours.nextSetBit(start.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
                int firstMinute = i == 0 && h == start.getHour() ? start.getMinute() : 0;
                for (int m = minutes.nextSetBit(firstMinute); m >= 0; m = minutes.nextSetBit(m + 1)) {
                    // atZone: a time in a gap moves forward by the gap; one in an overlap takes the earlier offset
                    Instant at = LocalDateTime.of(day, LocalTime.of(h, m)).atZone(zone).toInstant();
                    if (at.isAfter(after)) return Optional.of(at);
                }
            }
        }
        return Optional.empty();
    }

    private boolean matches(LocalDate day) {
        if (!months.get(day.getMonthValue())) return false;
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        return eitherDay ? dom || dow : dom && dow;
    }

    @Override
    public String toString() {
        return text;
    }

    private enum Field {
        MINUTE("minute", 0, 59, List.of()),
        HOUR("hour", 0, 23, List.of()),
        DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
        MONTH("month", 1, 12, MONTHS),
        DAY_OF_WEEK("day-of-week", 0, 7, DAYS);

        private final String label;
        private final int min;
        private final int max;
        private final List<String> names; // names.get(i) is the value min + i

        Field(String label, int min, int max, List<String> names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = names;
        }

        BitSet parse(String field) {
            BitSet set = new BitSet(max + 1);
            for (String item : field.split(",", -1)) {
                if (item.isEmpty()) throw invalid(field, "empty list item");
                parseItem(item, field, set);
            }
            return set;
        }

        private void parseItem(String item, String field, BitSet set) {
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(item.substring(slash + 1), field, "step");
                if (step < 1) throw invalid(field, "step must be at least 1");
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max == 7 ? 6 : max; // * in day-of-week is 0-6: Sunday once
            } else {
                int dash = range.indexOf('-');
                lo = value(dash < 0 ? range : range.substring(0, dash), field);
                hi = dash < 0 ? (slash >= 0 ? max : lo) : value(range.substring(dash + 1), field);
                if (lo > hi) throw invalid(field, "range " + range + " goes backwards");
            }
            for (int v = lo; v <= hi; v += step) set.set(v);
        }

        private int value(String s, String field) {
            int named = names.indexOf(s.toLowerCase(Locale.ROOT));
            int v = named >= 0 ? min + named : number(s, field, "value");
            if (v < min || v > max) throw invalid(field, "value " + v + " out of range " + min + "-" + max);
            return v;
        }

        private int number(String s, String field, String what) {
            if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit)) {
                throw invalid(field, what + " '" + s + "' is not a number" + (names.isEmpty() ? "" : " or a name"));
            }
            return Integer.parseInt(s);
        }

        private InvalidCron invalid(String field, String why) {
            return new InvalidCron(label + " field '" + field + "': " + why);
        }
    }
}
