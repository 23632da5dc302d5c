/**
 * Read-only share links of remote tables.
 *
 * A link carries a **snapshot manifest**: presigned GET URLs (with sizes) of the log files the
 * shared version needs (every commit, checksum and checkpoint at or below it, and the V2
 * sidecars) and of the snapshot's data and deletion vector files, plus where the table lives (no
 * credentials) and when the URLs expire. The recipient's worker reads the table through a
 * {@link ManifestStore} (`src/delta/storage/manifest.ts`) over those URLs: no credentials, nothing else reachable, read-only.
 *
 * The manifest rides in the link's fragment (`#share=<base64url(deflate-raw(JSON))>`, never sent to
 * any server) when it fits in {@link MAX_FRAGMENT_CHARS}; otherwise, when the sharer allows a write,
 * it is stored beside the table (`_delta_explorer/shares/<id>.json`) and the fragment holds a
 * presigned URL of that object (`#share-url=<url>`). lakeFS locations carry the commit id, so the
 * recipient sees exactly what was shared after the branch moves.
 */
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import { dvStorePath } from '../delta/deletion-vectors.ts';
import { mapLimit } from '../delta/concurrency.ts';
import { listLogFiles, parseLogFileName } from '../delta/log/listing.ts';
import { safeDecode, type Snapshot } from '../delta/snapshot.ts';
import { compareBytes, isSigner, isWriter, type ObjectMeta, type ObjectStore } from '../delta/storage/object-store.ts';
import { expiredError, MANIFEST_BASE, ManifestStore, type StoreManifest } from '../delta/storage/manifest.ts';
import { HttpStore } from '../delta/storage/http.ts';
import { storePath } from '../query/scan-plan.ts';
import type { RemoteLocation, ShareLink, ShareOptions } from './api.ts';

/** Longest fragment put in a link, characters (browsers and chat tools handle this comfortably). */
export const MAX_FRAGMENT_CHARS = 60_000;
/** Longest a link may live: 7 days (S3's presigned URL limit), seconds. */
export const MAX_SHARE_SECONDS = 7 * 24 * 3600;
/** Where manifests are stored beside the table when they do not fit in the fragment. */
export const SHARE_OBJECT_DIR = '_delta_explorer/shares';

/** The manifest inside a share link: a {@link StoreManifest} plus where the table lives. Sizes in bytes, times in ms since the epoch. */
export interface ShareManifest extends StoreManifest {
  /** Format version (1). */
  v: 1;
  /** Table name for the UI. */
  label: string;
  /** Where the table lives (no credentials). */
  location: RemoteLocation;
  /** The shared version. */
  version: number;
  createdAtMs: number;
  expiresAtMs: number;
  /**
   * `[store path, size in bytes, presigned GET URL]`, sorted by path; log files add their
   * modification time (ms since the epoch), which dates commits without in-commit timestamps.
   */
  files: ([string, number, string] | [string, number, string, number])[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

async function pipeBytes(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

/** Encodes a manifest as fragment text (`share=...`). */
export async function encodeManifest(m: ShareManifest): Promise<string> {
  return `share=${toBase64Url(await pipeBytes(enc.encode(JSON.stringify(m)), new CompressionStream('deflate-raw')))}`;
}

/** Validates a parsed manifest. @throws DeltaError `INVALID_ARGUMENT`. */
function checkManifest(m: unknown): ShareManifest {
  const x = m as ShareManifest;
  if (!x || x.v !== 1 || !Array.isArray(x.files) || !Number.isFinite(x.expiresAtMs) || !Number.isSafeInteger(x.version) || !x.location) {
    throw new DeltaError('INVALID_ARGUMENT', 'This is not a Delta Explorer share link (or it was cut short when copied).', {
      hint: 'Copy the whole link again from the message it came in.',
    });
  }
  for (const f of x.files) {
    if (!Array.isArray(f) || typeof f[0] !== 'string' || typeof f[1] !== 'number' || typeof f[2] !== 'string' || !/^https?:\/\//i.test(f[2]) || (f[3] !== undefined && typeof f[3] !== 'number')) {
      throw new DeltaError('INVALID_ARGUMENT', 'The share link names a file without a valid http(s) URL.');
    }
  }
  return x;
}

/** Decodes `share=...` fragment text. @throws DeltaError `INVALID_ARGUMENT` for anything else. */
export async function decodeManifest(fragmentValue: string): Promise<ShareManifest> {
  let json: string;
  try {
    json = dec.decode(await pipeBytes(fromBase64Url(fragmentValue), new DecompressionStream('deflate-raw')));
  } catch {
    throw new DeltaError('INVALID_ARGUMENT', 'This share link is damaged: its data cannot be decoded (it may have been cut short when copied).', {
      hint: 'Copy the whole link again from the message it came in.',
    });
  }
  try {
    return checkManifest(JSON.parse(json));
  } catch (e) {
    if (e instanceof DeltaError) throw e;
    throw new DeltaError('INVALID_ARGUMENT', 'This share link is damaged: its data is not valid JSON.');
  }
}

/** The store paths a shared version needs: its log files (≤ version, and sidecars) and its data and DV files. */
export async function shareFileList(store: ObjectStore, snapshot: Snapshot, signal?: AbortSignal): Promise<ObjectMeta[]> {
  const log = await listLogFiles(store, '_delta_log/', { signal });
  throwIfAborted(signal);
  const keep = new Map<string, ObjectMeta>();
  for (const m of log) {
    const rel = m.path.slice('_delta_log/'.length);
    if (rel.startsWith('_sidecars/')) {
      keep.set(m.path, m);
      continue;
    }
    const name = parseLogFileName(rel);
    if (!name) continue; // _last_checkpoint may point past the shared version; the reader lists instead
    const last = name.type === 'compaction' ? name.endVersion : name.version;
    if (last <= snapshot.version) keep.set(m.path, m);
  }
  snapshot.files.forEach((b, r) => {
    const raw = b.path[r];
    const path = storePath(raw.includes('%') ? safeDecode(raw) : raw, snapshot.store);
    keep.set(path, { path, sizeBytes: Number.isNaN(b.size[r]) ? 0 : b.size[r], lastModifiedMs: 0 });
    const dv = b.deletionVector(r);
    const dvPath = dv ? dvStorePath(dv) : undefined;
    if (dvPath && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(dvPath) && !dvPath.startsWith('/') && !keep.has(dvPath)) keep.set(dvPath, { path: dvPath, sizeBytes: 0, lastModifiedMs: 0 });
  });
  return [...keep.values()].sort((a, b) => compareBytes(a.path, b.path));
}

/**
 * Makes a share link of `snapshot` of a table read through `store` (which must presign).
 * @throws DeltaError `INVALID_ARGUMENT` (store cannot presign, expiry out of 1 s ... 7 days, manifest too
 *   big for the fragment with `storage: 'fragment'` or `'auto'`), `ACCESS_DENIED` (manifest write refused), store errors.
 */
export async function createShareLink(
  store: ObjectStore,
  snapshot: Snapshot,
  location: RemoteLocation,
  options: ShareOptions,
  signal?: AbortSignal,
): Promise<ShareLink> {
  if (location.kind === 'share') throw new DeltaError('INVALID_ARGUMENT', 'A shared table cannot be shared again: ask its owner for a link.');
  if (!isSigner(store)) throw new DeltaError('INVALID_ARGUMENT', `${store.description} cannot make presigned URLs, so it cannot be shared by link.`);
  const seconds = Math.round(options.expiresInSeconds);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_SHARE_SECONDS) {
    throw new DeltaError('INVALID_ARGUMENT', `A share link lives from 1 second to 7 days; ${options.expiresInSeconds} s was asked.`);
  }
  const files = await shareFileList(store, snapshot, signal);
  let expiresAtMs = Date.now() + seconds * 1000;
  const signed = await mapLimit(files, 16, async (f) => ({ f, s: await store.presign(f.path, seconds, signal) }));
  // A backend may cap the lifetime (lakeFS presigns for its configured time): the link lives as long as its shortest URL.
  for (const { s } of signed) expiresAtMs = Math.min(expiresAtMs, s.expiresAtMs);
  const label = locationLabel(location);
  const manifest: ShareManifest = {
    v: 1,
    label,
    location: withoutSecrets(location),
    version: snapshot.version,
    createdAtMs: Date.now(),
    expiresAtMs,
    files: signed.map(({ f, s }) => (f.lastModifiedMs > 0 ? [f.path, f.sizeBytes, s.url, f.lastModifiedMs] : [f.path, f.sizeBytes, s.url])),
  };
  const fragment = await encodeManifest(manifest);
  if (options.storage !== 'object' && fragment.length <= MAX_FRAGMENT_CHARS) {
    return { fragment, expiresAtMs, files: files.length, storage: 'fragment', length: fragment.length };
  }
  if (options.storage !== 'object') {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `The manifest of ${files.length.toLocaleString('en-US')} files is too big for a link (${fragment.length.toLocaleString('en-US')} characters; at most ${MAX_FRAGMENT_CHARS.toLocaleString('en-US')}).`,
      { hint: 'Allow storing the manifest beside the table (one small object written with your credentials).' },
    );
  }
  if (!isWriter(store)) throw new DeltaError('INVALID_ARGUMENT', `${store.description} cannot store a manifest object.`);
  const id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  const objectPath = `${SHARE_OBJECT_DIR}/${id}.json`;
  await store.put(objectPath, enc.encode(JSON.stringify(manifest)), 'application/json', signal);
  const obj = await store.presign(objectPath, seconds, signal);
  const objFragment = `share-url=${encodeURIComponent(obj.url)}`;
  return { fragment: objFragment, expiresAtMs: Math.min(expiresAtMs, obj.expiresAtMs), files: files.length, storage: 'object', length: objFragment.length };
}

/** A short name of a location for the UI. */
export function locationLabel(loc: RemoteLocation): string {
  switch (loc.kind) {
    case 'http':
      return loc.url.split('/').filter(Boolean).pop() ?? loc.url;
    case 's3':
      return loc.prefix ? loc.prefix.split('/').pop()! : loc.bucket;
    case 'lakefs':
      return loc.path ? loc.path.split('/').pop()! : loc.repository;
    case 'share':
      return locationLabel(loc.origin);
  }
}

/** A location with only the fields the type names (nothing a caller may have added). */
function withoutSecrets(loc: RemoteLocation): RemoteLocation {
  switch (loc.kind) {
    case 'http':
      return { kind: 'http', url: loc.url };
    case 's3':
      return { kind: 's3', ...(loc.endpoint ? { endpoint: loc.endpoint } : {}), region: loc.region, bucket: loc.bucket, prefix: loc.prefix };
    case 'lakefs':
      return { kind: 'lakefs', endpoint: loc.endpoint, repository: loc.repository, ref: loc.ref, ...(loc.commitId ? { commitId: loc.commitId } : {}), path: loc.path };
    case 'share':
      return withoutSecrets(loc.origin);
  }
}

/**
 * Opens a share link's fragment (`share=...` or `share-url=<presigned manifest URL>`, with or without
 * the leading `#`) as a store.
 * @throws DeltaError `EXPIRED` (past the link's time, or its manifest URL refused as expired),
 *   `INVALID_ARGUMENT` (not a share link, damaged), store errors fetching a stored manifest.
 */
export async function openShareStore(
  fragment: string,
  options: { fetch?: typeof fetch; now?: () => number; signal?: AbortSignal } = {},
): Promise<{ store: ManifestStore; location: RemoteLocation; label: string }> {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  let manifest: ShareManifest;
  const inline = params.get('share');
  const remote = params.get('share-url');
  if (inline) {
    manifest = await decodeManifest(inline);
  } else if (remote && /^https?:\/\//i.test(remote)) {
    const one = new HttpStore(MANIFEST_BASE, { fetch: options.fetch, resolveUrl: () => remote, description: "the share link's manifest" });
    const bytes = await one.get('manifest.json', options.signal);
    try {
      manifest = checkManifest(JSON.parse(dec.decode(bytes)));
    } catch (e) {
      if (e instanceof DeltaError) throw e;
      throw new DeltaError('INVALID_ARGUMENT', 'The share link points at an object that is not a share manifest.');
    }
  } else {
    throw new DeltaError('INVALID_ARGUMENT', 'This is not a Delta Explorer share link (no share= or share-url= after #).');
  }
  if ((options.now ?? Date.now)() >= manifest.expiresAtMs) throw expiredError(manifest.expiresAtMs);
  const store = new ManifestStore(manifest, options);
  return { store, location: { kind: 'share', expiresAtMs: manifest.expiresAtMs, origin: manifest.location }, label: manifest.label };
}
