/**
 * Files read through presigned URLs are registered again with fresh URLs when a session outlives
 * them (`FileRegistry.refreshUrls`). The engine here only records registrations: what is checked is
 * the registry's bookkeeping; DuckDB reading such URLs by range is shown in `e2e/s3.spec.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import type { SqlEngine } from './engine.ts';
import { FileRegistry, URL_REFRESH_MS } from './file-registry.ts';

function recordingEngine(log: string[]): SqlEngine {
  const no = async () => {
    throw new Error('not used');
  };
  return {
    kind: 'browser',
    capabilities: { localPaths: false, fileHandles: false, urls: true, sizedUrls: true },
    generation: 0,
    query: no,
    registerBuffer: no,
    registerFile: no,
    registerLocalPath: no,
    insertArrow: no,
    copyFileToBuffer: no,
    registerUrl: async (name, url, size) => void log.push(`register ${name} ${url} ${size}`),
    dropFile: async (name) => void log.push(`drop ${name}`),
    close: async () => {},
  };
}

function presigningStore(getOnlyUrls: boolean): ObjectStore & { signed: number } {
  const store = {
    signed: 0,
    description: 'test',
    capabilities: { list: false, getOnlyUrls },
    list: async () => [],
    get: async () => new Uint8Array(0),
    getRange: async () => new Uint8Array(0),
    head: async (path: string) => ({ path, sizeBytes: 0, lastModifiedMs: 0 }),
    url: async (path: string) => `https://bucket.example/${path}?sig=${++store.signed}`,
  };
  return store;
}

describe('FileRegistry.refreshUrls', () => {
  it('registers presigned files again, under the same name and size, once they are older than the refresh age', async () => {
    const log: string[] = [];
    const store = presigningStore(true);
    const reg = new FileRegistry(recordingEngine(log), store, 'dx', 'direct');
    reg.checkFooters = false; // the store holds no real files
    const names = await reg.ensureFiles([{ path: 'a.parquet', version: 3, sizeBytes: 1234 }]);
    expect(log).toEqual([`register ${names.get('a.parquet')} https://bucket.example/a.parquet?sig=1 1234`]);
    expect(await reg.refreshUrls(undefined, Date.now() + 1000)).toBe(0);
    expect(await reg.refreshUrls(undefined, Date.now() + URL_REFRESH_MS + 1000)).toBe(1);
    expect(log.slice(1)).toEqual([`drop ${names.get('a.parquet')}`, `register ${names.get('a.parquet')} https://bucket.example/a.parquet?sig=2 1234`]);
    await reg.dropAll();
    expect(await reg.refreshUrls(undefined, Date.now() + 10 * URL_REFRESH_MS)).toBe(0);
  });

  it('leaves URLs that do not expire alone', async () => {
    const log: string[] = [];
    const reg = new FileRegistry(recordingEngine(log), presigningStore(false), 'dx', 'direct');
    reg.checkFooters = false;
    await reg.ensureFiles([{ path: 'a.parquet', version: 0, sizeBytes: 10 }]);
    expect(await reg.refreshUrls(undefined, Date.now() + 10 * URL_REFRESH_MS)).toBe(0);
    expect(log).toHaveLength(1);
  });
});
