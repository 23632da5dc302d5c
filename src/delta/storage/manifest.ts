/**
 * A read-only store over a manifest of presigned URLs (a share link's files): lists the manifest's
 * files, reads them through their URLs (ranged `GET`, never `HEAD`), and refuses everything past
 * the manifest's expiry with `EXPIRED`. No credentials, nothing outside the manifest reachable.
 * The share link format itself (what the manifest holds, how it rides in a link) is
 * `src/workers/share.ts`.
 */
import { DeltaError } from '../errors.ts';
import { HttpStore } from './http.ts';
import { compareBytes, type ByteRange, type ListOptions, type ObjectMeta, type StoreCapabilities, type UrlSource } from './object-store.ts';

/** Base URL of the HTTP stores over presigned URLs (never fetched: every path resolves to its URL). */
export const MANIFEST_BASE = 'https://share.invalid';

/** What a {@link ManifestStore} serves. Sizes in bytes, times in ms since the epoch. */
export interface StoreManifest {
  /** Name of what is shared, for messages. */
  label: string;
  /** The table version the files make up (named in `FILE_NOT_FOUND` messages). */
  version: number;
  /** When the URLs stop working. */
  expiresAtMs: number;
  /**
   * `[store path, size in bytes, presigned GET URL]`, sorted by path; log files add their
   * modification time (ms since the epoch), which dates commits without in-commit timestamps.
   */
  files: ([string, number, string] | [string, number, string, number])[];
}

/** The message of an expired link. */
export function expiredError(expiresAtMs: number): DeltaError {
  return new DeltaError('EXPIRED', `This share link expired on ${new Date(expiresAtMs).toISOString().replace('T', ' ').slice(0, 16)} UTC.`, {
    hint: 'Ask the person who shared it for a new link.',
  });
}

/**
 * A read-only store over a share manifest: lists the manifest's files, reads them through their
 * presigned URLs (ranged `GET`, never `HEAD`). Past `expiresAtMs` every read fails with `EXPIRED`.
 */
export class ManifestStore implements UrlSource {
  readonly description: string;
  readonly capabilities: StoreCapabilities = { list: true, getOnlyUrls: true };
  private readonly byPath = new Map<string, { size: number; url: string; mtime: number }>();
  private readonly sorted: ObjectMeta[];
  /** Reads through the presigned URLs (ranged GETs, typed errors with redacted URLs). */
  private readonly http: HttpStore;

  constructor(
    readonly manifest: StoreManifest,
    private readonly options: { fetch?: typeof fetch; now?: () => number } = {},
  ) {
    this.description = `share of ${manifest.label}`;
    this.http = new HttpStore(MANIFEST_BASE, { fetch: options.fetch, resolveUrl: (p) => this.byPath.get(p)?.url, getOnlyUrls: true, description: this.description });
    for (const [path, size, url, mtime] of manifest.files) this.byPath.set(path, { size, url, mtime: mtime ?? 0 });
    this.sorted = manifest.files.map(([path, size, , mtime]) => ({ path, sizeBytes: size, lastModifiedMs: mtime ?? 0 })).sort((a, b) => compareBytes(a.path, b.path));
  }

  private live(): void {
    if ((this.options.now ?? Date.now)() >= this.manifest.expiresAtMs) throw expiredError(this.manifest.expiresAtMs);
  }

  private entry(path: string): { size: number; url: string; mtime: number } {
    const e = this.byPath.get(path);
    if (!e) {
      throw new DeltaError('FILE_NOT_FOUND', `${path} is not part of this share link (it shares version ${this.manifest.version} only).`, {
        path,
        hint: 'Share links carry the files of one version; ask for a link to the version you need.',
      });
    }
    return e;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    this.live();
    return this.sorted.filter(
      (m) =>
        m.path.startsWith(prefix) &&
        (options.startAfter === undefined || compareBytes(m.path, options.startAfter) > 0) &&
        (!options.shallow || !m.path.slice(prefix.length).includes('/')),
    );
  }

  get(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    this.live();
    this.entry(path);
    return this.http.get(path, signal);
  }

  async getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    this.live();
    this.entry(path);
    return this.http.getRange(path, range, signal);
  }

  async head(path: string): Promise<ObjectMeta> {
    this.live();
    const e = this.entry(path);
    return { path, sizeBytes: e.size, lastModifiedMs: e.mtime };
  }

  async url(path: string): Promise<string | undefined> {
    this.live();
    return this.byPath.get(path)?.url;
  }
}
