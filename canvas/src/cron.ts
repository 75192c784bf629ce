/**
 * Help for the 5-field cron expressions the platform's scheduler reads (crontab(5): minute hour
 * day-of-month month day-of-week, names, ranges, steps, macros). The server's parser decides;
 * this only gives the user a hint while typing and a plain-words reading of what they wrote.
 */

export const CRON_FIELDS = [
  { name: 'minute', range: '0-59' },
  { name: 'hour', range: '0-23' },
  { name: 'day of month', range: '1-31' },
  { name: 'month', range: '1-12 or jan-dec' },
  { name: 'day of week', range: '0-7 or sun-sat (0 and 7 are Sunday)' },
] as const;

export const CRON_EXAMPLES: { expr: string; meaning: string }[] = [
  { expr: '*/15 * * * *', meaning: 'every 15 minutes' },
  { expr: '0 9 * * 1-5', meaning: 'at 09:00 on weekdays' },
  { expr: '30 18 * * fri', meaning: 'at 18:30 every Friday' },
  { expr: '0 0 1 * *', meaning: 'at midnight on the 1st of every month' },
  { expr: '@hourly', meaning: 'at the start of every hour' },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const BOUNDS: [number, number, string[]][] = [[0, 59, []], [0, 23, []], [1, 31, []], [1, 12, MONTHS], [0, 7, DAYS]];

/** The five fields of an expression (a macro expanded), or null when it does not have five. */
function fields(expr: string): string[] | null {
  const text = expr.trim();
  const expanded = text.startsWith('@') ? MACROS[text.toLowerCase()] : text;
  if (!expanded) return null;
  const f = expanded.split(/\s+/);
  return f.length === 5 ? f : null;
}

/** One value of a field: a number or (months, days) a name; NaN when it is neither. */
function value(token: string, names: string[], offset: number): number {
  if (/^\d+$/.test(token)) return Number(token);
  const i = names.indexOf(token.toLowerCase());
  return i < 0 ? NaN : i + offset;
}

/** Why one field is wrong, or null. */
function fieldProblem(field: string, index: number): string | null {
  const [min, max, names] = BOUNDS[index];
  const offset = index === 3 ? 1 : 0;
  const label = CRON_FIELDS[index].name;
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `${label}: bad step in "${item}"`;
    if (range === '*' || range === '?') continue;
    const ends = range.split('-');
    if (ends.length > 2 || ends.some((e) => e === '')) return `${label}: "${item}" is not a value or a range`;
    for (const end of ends) {
      const v = value(end, names, offset);
      if (Number.isNaN(v)) return `${label}: "${end}" is not a number${names.length ? ' or a name' : ''}`;
      if (v < min || v > max) return `${label}: ${end} is outside ${CRON_FIELDS[index].range}`;
    }
  }
  return null;
}

/** A hint about what is wrong with an expression while it is typed, or null when it looks right. */
export function cronHint(expr: string): string | null {
  const text = expr.trim();
  if (!text) return null;
  if (text.startsWith('@')) return MACROS[text.toLowerCase()] ? null : `unknown macro ${text} (try @hourly, @daily, @weekly, @monthly)`;
  const f = text.split(/\s+/);
  if (f.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), got ${f.length}`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(f[i], i);
    if (problem) return problem;
  }
  return null;
}

const two = (n: string) => n.padStart(2, '0');
const plain = (s: string) => /^\d+$/.test(s);

/** The days of a day-of-week field in words, for the common shapes; null when unusual. */
function daysInWords(dow: string): string | null {
  const lower = dow.toLowerCase();
  if (lower === '1-5' || lower === 'mon-fri') return 'on weekdays';
  if (lower === '0,6' || lower === '6,0' || lower === 'sat,sun' || lower === 'sun,sat') return 'at weekends';
  const one = plain(lower) ? Number(lower) : DAYS.indexOf(lower);
  return one >= 0 && one <= 7 ? `every ${DAY_NAMES[one]}` : null;
}

/**
 * The expression in plain words for the usual shapes ("at 09:00 on weekdays", "every 15
 * minutes"); null for anything it does not recognise (the expression then speaks for itself).
 */
export function describeCron(expr: string): string | null {
  if (cronHint(expr)) return null;
  const f = fields(expr);
  if (!f) return null;
  const [min, hour, dom, mon, dow] = f;
  if (mon !== '*') return null;
  const everyDay = dom === '*' && dow === '*';
  if (min === '*' && hour === '*' && everyDay) return 'every minute';
  const step = /^\*\/(\d+)$/.exec(min);
  if (step && hour === '*' && everyDay) return `every ${step[1]} minutes`;
  if (plain(min) && hour === '*' && everyDay) return min === '0' ? 'at the start of every hour' : `at minute ${min} of every hour`;
  if (!plain(min) || !plain(hour)) return null;
  const at = `at ${two(hour)}:${two(min)}`;
  if (everyDay) return `${at} every day`;
  if (dom === '*') {
    const days = daysInWords(dow);
    return days && `${at} ${days}`;
  }
  if (plain(dom) && dow === '*') return `${at} on day ${dom} of every month`;
  return null;
}
