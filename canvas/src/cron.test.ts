import { describe, expect, it } from 'vitest';
import { CRON_EXAMPLES, cronHint, describeCron } from './cron';

describe('cron hint', () => {
  it('accepts what the server parser accepts: lists, ranges, steps, names, macros, Sunday as 7', () => {
    for (const ok of ['* * * * *', '*/15 * * * *', '0 9 * * 1-5', '0,30 8-18/2 1,15 jan-jun mon-fri', '5/15 * ? * 7', '@daily', '@HOURLY', '  0 9 * * *  ']) {
      expect(cronHint(ok), ok).toBeNull();
    }
  });

  it('says nothing about an empty field yet', () => {
    expect(cronHint('   ')).toBeNull();
  });

  it('counts the fields', () => {
    expect(cronHint('0 9 * *')).toBe('expected 5 fields (minute hour day-of-month month day-of-week), got 4');
    expect(cronHint('0 9 * * * *')).toMatch(/got 6/);
  });

  it('names the field that is out of range or unreadable', () => {
    expect(cronHint('60 * * * *')).toBe('minute: 60 is outside 0-59');
    expect(cronHint('0 24 * * *')).toBe('hour: 24 is outside 0-23');
    expect(cronHint('0 0 0 * *')).toBe('day of month: 0 is outside 1-31');
    expect(cronHint('0 0 * foo *')).toBe('month: "foo" is not a number or a name');
    expect(cronHint('0 0 * * 8')).toMatch(/^day of week: 8 is outside/);
    expect(cronHint('*/0 * * * *')).toBe('minute: bad step in "*/0"');
    expect(cronHint('1- * * * *')).toBe('minute: "1-" is not a value or a range');
    expect(cronHint('@sometimes')).toMatch(/unknown macro @sometimes/);
  });
});

describe('cron in words', () => {
  it('reads the usual shapes', () => {
    expect(describeCron('* * * * *')).toBe('every minute');
    expect(describeCron('*/5 * * * *')).toBe('every 5 minutes');
    expect(describeCron('0 * * * *')).toBe('at the start of every hour');
    expect(describeCron('@hourly')).toBe('at the start of every hour');
    expect(describeCron('7 * * * *')).toBe('at minute 7 of every hour');
    expect(describeCron('5 9 * * *')).toBe('at 09:05 every day');
    expect(describeCron('0 9 * * mon-fri')).toBe('at 09:00 on weekdays');
    expect(describeCron('0 10 * * 0,6')).toBe('at 10:00 at weekends');
    expect(describeCron('30 18 * * FRI')).toBe('at 18:30 every Friday');
    expect(describeCron('0 0 * * 7')).toBe('at 00:00 every Sunday');
    expect(describeCron('0 0 1 * *')).toBe('at 00:00 on day 1 of every month');
  });

  it('gives up on unusual or invalid shapes instead of guessing', () => {
    expect(describeCron('0 9 1 * 1')).toBeNull(); // day-of-month OR day-of-week
    expect(describeCron('0 9 * 6 *')).toBeNull();
    expect(describeCron('0 8-18 * * *')).toBeNull();
    expect(describeCron('61 * * * *')).toBeNull();
  });

  it('has examples that are all valid', () => {
    for (const e of CRON_EXAMPLES) expect(cronHint(e.expr), e.expr).toBeNull();
  });
});
