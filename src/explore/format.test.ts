import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRelative, formatTimestamp, formatWhen, plural } from './format.ts';

describe('format', () => {
  it('counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1233)).toBe('1,233');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
  it('sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(10499)).toBe('10.3 KiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.50 GiB');
  });
  it('timestamps in UTC', () => {
    expect(formatTimestamp(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatTimestamp(null)).toBe('—');
    expect(formatTimestamp(NaN)).toBe('—');
  });
  it('durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(2400)).toBe('2.4 s');
  });
  it('plurals', () => {
    expect(plural(1, 'commit')).toBe('1 commit');
    expect(plural(1234, 'commit')).toBe('1,234 commits');
    expect(plural(0, 'entry', 'entries')).toBe('0 entries');
  });
  it('relative and absolute times', () => {
    const now = Date.UTC(2024, 4, 4, 12, 0, 0);
    expect(formatRelative(now - 10_000, now)).toBe('just now');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(formatRelative(now - 3 * 86_400_000, now)).toBe('3 days ago');
    expect(formatRelative(now + 2 * 3_600_000, now)).toBe('in 2 hours');
    expect(formatRelative(now - 400 * 86_400_000, now)).toBe('1 year ago');
    expect(formatWhen(Date.UTC(2024, 4, 1, 12, 0, 0), now)).toBe('3 days ago · 2024-05-01T12:00:00Z');
    expect(formatWhen(null)).toBe('—');
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0.012)).toBe('1.2%');
  });
});

describe('nice ticks', () => {
  it('bytes: round steps in the unit that fits', async () => {
    const { niceByteTicks, formatBytes } = await import('./format.ts');
    const GiB = 1024 ** 3;
    expect(niceByteTicks(83.8 * GiB).map(formatBytes)).toEqual(['0 B', '25.0 GiB', '50.0 GiB', '75.0 GiB', '100 GiB']);
    expect(niceByteTicks(5.58 * 1024).map(formatBytes)).toEqual(['0 B', '2.00 KiB', '4.00 KiB', '6.00 KiB']);
    expect(niceByteTicks(0)).toEqual([0]);
  });
  it('counts', async () => {
    const { niceTicks } = await import('./format.ts');
    expect(niceTicks(99_990)).toEqual([0, 25_000, 50_000, 75_000, 100_000]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(9, 4, true)).toEqual([0, 5, 10]);
    expect(niceTicks(2, 4, true)).toEqual([0, 1, 2]);
  });
});
