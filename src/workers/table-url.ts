/**
 * Table URLs as the worker accepts them: absolute `http(s)://` URLs of a table root (or of a folder
 * of tables), normalized to a base without trailing slash, and the hints that make HTTP failures
 * actionable in a browser (CORS, mixed content).
 */
import { DeltaError } from '../delta/errors.ts';

const LOG_SUFFIX = /\/_delta_log\/*$/;

/**
 * Checks and normalizes a table URL: absolute, `http:` or `https:`, no credentials, no query string
 * (a table root is a folder, not a presigned object); the fragment is dropped, trailing slashes
 * are removed, and a URL naming the `_delta_log` folder itself gives its parent (the table root).
 * @returns the base URL, e.g. `https://host/warehouse/t` (no trailing slash).
 * @throws DeltaError `INVALID_ARGUMENT` with a hint.
 */
export function parseTableUrl(input: string): string {
  const text = input.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new DeltaError('INVALID_ARGUMENT', `Not an absolute URL: "${text}".`, {
      hint: 'Give the full http(s):// URL of the table root (the folder that holds _delta_log/).',
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    const hint =
      u.protocol === 's3:' || u.protocol === 's3a:' || u.protocol === 'gs:' || u.protocol === 'abfss:'
        ? 'Give the bucket\'s HTTPS endpoint instead (e.g. https://bucket.s3.region.amazonaws.com/path/to/table); the bucket must allow this app by CORS.'
        : u.protocol === 'file:'
          ? 'A local folder cannot be opened by URL: use "Open folder…" or drop the folder.'
          : 'Give an http:// or https:// URL.';
    throw new DeltaError('INVALID_ARGUMENT', `Unsupported URL scheme "${u.protocol}" in ${redact(u)}.`, { hint });
  }
  if (u.username || u.password) {
    throw new DeltaError('INVALID_ARGUMENT', `The URL ${redact(u)} carries credentials, which browsers refuse to send this way.`, {
      hint: 'Remove the user name and password from the URL.',
    });
  }
  if (u.search) {
    throw new DeltaError('INVALID_ARGUMENT', `The table URL ${redact(u)} has a query string.`, {
      hint: 'Give the URL of the table root folder without "?…" (presigned links to single files cannot open a table).',
    });
  }
  let path = u.pathname.replace(/\/+$/, '');
  if (LOG_SUFFIX.test(path + '/')) path = path.replace(LOG_SUFFIX, '');
  return `${u.origin}${path}`;
}

/** The name to show for a table URL: its last path segment (decoded), or the host. */
export function urlLabel(base: string): string {
  const u = new URL(base);
  const last = u.pathname.split('/').filter(Boolean).pop();
  if (!last) return u.host;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function redact(u: URL): string {
  const c = new URL(u.href);
  c.username = '';
  c.password = '';
  if (c.search) c.search = '?…';
  return c.href;
}

/**
 * Runs a request against `base` and, when it fails before any HTTP answer (`STORAGE_ERROR`
 * "Cannot reach"), explains the likely browser cause: an `http:` table from an `https:` page is
 * blocked as mixed content. Other errors pass unchanged.
 */
export async function withUrlHints<T>(base: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const pageProtocol = (globalThis as { location?: { protocol?: string } }).location?.protocol;
    if (e instanceof DeltaError && e.code === 'STORAGE_ERROR' && /^Cannot reach/.test(e.message) && pageProtocol === 'https:' && base.startsWith('http:')) {
      throw new DeltaError('STORAGE_ERROR', e.message, {
        path: e.path,
        cause: e,
        hint: 'This page is served over HTTPS and the table URL is plain HTTP, which browsers block (mixed content): use an https:// URL for the table.',
      });
    }
    throw e;
  }
}
