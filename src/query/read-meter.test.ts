import { describe, expect, it } from 'vitest';
import { countRead, installReadMeter, listenReadMeter, meterIdOf } from './read-meter.ts';

describe('read meter (bytes DuckDB reads, told across workers)', () => {
  it('finds its id in a worker name', () => {
    expect(meterIdOf('duckdb dx-io=ab12 delta-explorer dx-net=attempts:3')).toBe('ab12');
    expect(meterIdOf('duckdb delta-explorer')).toBeUndefined();
  });

  it('counts FileReaderSync reads and HTTP bodies and posts the total on the named channel', async () => {
    class FakeReader {
      readAsArrayBuffer(blob: Blob): ArrayBuffer {
        return new ArrayBuffer(blob.size);
      }
    }
    const listener = listenReadMeter('t1');
    installReadMeter({ name: 'duckdb dx-io=t1', FileReaderSync: FakeReader });
    new FakeReader().readAsArrayBuffer(new Blob([new Uint8Array(1000)]));
    await expect.poll(() => listener.bytes()).toBe(1000);
    // Posts are at most every 100 ms; a later read carries the whole total.
    countRead(24);
    await new Promise((r) => setTimeout(r, 120));
    countRead(10);
    await expect.poll(() => listener.bytes()).toBe(1034);
    listener.close();
  });
});
