import { describe, expect, it } from 'vitest';
import { progressAmount, progressPercent } from './progress-line.tsx';

describe('progress line amounts', () => {
  it('parts: done/total with a percentage, 100 when all are done', () => {
    expect(progressAmount({ phase: 'commits', done: 12, total: 300 })).toBe(' 12/300 (4%)');
    expect(progressPercent({ phase: 'commits', done: 300, total: 300 })).toBe(100);
    expect(progressAmount({ phase: 'query', done: 0, total: 0 })).toBe('');
    expect(progressPercent(null)).toBeNull();
  });

  it('bytes: read of planned, below 100 until the work reports done (reads can exceed the plan)', () => {
    expect(progressAmount({ phase: 'query', done: 3 * 1024 * 1024, total: 10 * 1024 * 1024, unit: 'bytes' })).toMatch(/^ 3(\.0+)? MiB of 10(\.0+)? MiB \(30%\)$/);
    expect(progressPercent({ phase: 'query', done: 12, total: 10, unit: 'bytes' })).toBe(99);
    expect(progressPercent({ phase: 'query', done: 1, total: 1000, unit: 'bytes' })).toBe(0);
  });
});
