/**
 * An S3 `ListObjectsV2` answer over a local folder (Node only), so that `HttpStore` (and any S3
 * client pointed at the server) lists a served table instead of probing it commit by commit.
 *
 * The "bucket" is the folder the request names (`GET /mount/some/dir/?list-type=2&prefix=p`), and
 * keys are paths relative to it, `/`-separated: listing a table root with `prefix=_delta_log/` gives
 * `_delta_log/00000000000000000000.json`, ... Supported parameters, as S3 defines them: `prefix`,
 * `delimiter` (common prefixes), `start-after`, `continuation-token` (opaque: the last key or common
 * prefix returned, base64url), `max-keys` (1 to 1000, default 1000). Keys are sorted in UTF-8 byte
 * order, as S3 sorts them. A folder that does not exist answers 404 `NoSuchBucket`; a prefix or
 * folder with `..` segments 400 `InvalidArgument`. Sizes in bytes.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

/** The parameters of one `ListObjectsV2` request. */
export interface ListRequest {
  prefix: string;
  delimiter?: string;
  startAfter?: string;
  continuationToken?: string;
  /** 0 to 1000. */
  maxKeys: number;
}

/** An answer to send: HTTP status and XML body. */
export interface ListAnswer {
  status: number;
  body: string;
}

/** Options of {@link listObjectsV2}. */
export interface ListingOptions {
  /** List hidden files and folders (names starting with `.`). Default false. */
  dotfiles?: boolean;
}

/** Most keys one page may hold (S3's limit). */
export const MAX_KEYS = 1000;

/**
 * Reads a `ListObjectsV2` request from a query string: undefined unless it has `list-type=2` (any
 * other query is an ordinary file request).
 */
export function parseListRequest(params: URLSearchParams): ListRequest | undefined {
  if (params.get('list-type') !== '2') return undefined;
  const max = params.get('max-keys');
  const n = max === null || max === '' ? MAX_KEYS : Number(max);
  return {
    prefix: params.get('prefix') ?? '',
    delimiter: params.get('delimiter') || undefined,
    startAfter: params.get('start-after') || undefined,
    continuationToken: params.get('continuation-token') || undefined,
    maxKeys: Number.isInteger(n) && n >= 0 ? Math.min(n, MAX_KEYS) : -1,
  };
}

const xmlEscape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function s3Error(status: number, code: string, message: string): ListAnswer {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>\n`,
  };
}

/** Segments of a `/`-separated relative path, or undefined when one would leave the folder or is not a plain name. */
function safeSegments(path: string, dotfiles: boolean): string[] | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '.' || s === '..' || s.includes('\\') || s.includes('\0')) return undefined;
    if (!dotfiles && s.startsWith('.')) return undefined;
  }
  return segments;
}

/** Every file under `dir` (recursively, following symbolic links once), as paths relative to it prefixed by `keyPrefix`. */
async function walk(dir: string, keyPrefix: string, dotfiles: boolean, seen: Set<string>, out: string[]): Promise<void> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return;
  seen.add(real);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // not a folder, or unreadable: nothing to list there
  }
  for (const e of entries) {
    if (!dotfiles && e.name.startsWith('.')) continue;
    const abs = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const st = await stat(abs).catch(() => undefined);
      isDir = !!st?.isDirectory();
      isFile = !!st?.isFile();
    }
    if (isDir) await walk(abs, `${keyPrefix}${e.name}/`, dotfiles, seen, out);
    else if (isFile) out.push(keyPrefix + e.name);
  }
}

/**
 * Answers a `ListObjectsV2` request for the folder `relDir` (URL path relative to `root`,
 * percent-encoded as requested, e.g. `/tables/simple_table/`) of a served `root` folder.
 */
export async function listObjectsV2(root: string, relDir: string, request: ListRequest, options: ListingOptions = {}): Promise<ListAnswer> {
  const dotfiles = !!options.dotfiles;
  if (request.maxKeys < 0) return s3Error(400, 'InvalidArgument', 'max-keys must be a whole number from 0.');
  let decodedDir: string;
  try {
    decodedDir = decodeURIComponent(relDir);
  } catch {
    return s3Error(400, 'InvalidArgument', 'The folder path is not valid percent-encoding.');
  }
  const dirSegments = safeSegments(decodedDir, dotfiles);
  if (!dirSegments) return s3Error(400, 'InvalidArgument', 'The folder path is not allowed.');
  const rootAbs = resolve(root);
  const dirAbs = resolve(rootAbs, ...dirSegments);
  if (dirAbs !== rootAbs && !dirAbs.startsWith(rootAbs + sep)) return s3Error(400, 'InvalidArgument', 'The folder path is not allowed.');
  const dirStat = await stat(dirAbs).catch(() => undefined);
  if (!dirStat?.isDirectory()) return s3Error(404, 'NoSuchBucket', `No folder ${decodedDir || '/'} here.`);

  const { prefix, delimiter } = request;
  // Only the folder named by the prefix's leading segments can hold matching keys: walk that one.
  const prefixDir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const prefixSegments = prefixDir.split('/').filter((s) => s !== '');
  if (prefix.includes('\0') || prefixSegments.some((s) => s === '.' || s === '..' || s.includes('\\'))) {
    return s3Error(400, 'InvalidArgument', 'The prefix is not allowed.');
  }
  if (!dotfiles && prefixSegments.some((s) => s.startsWith('.'))) {
    // A hidden folder in the prefix while hidden files are not served: nothing visible matches.
    return { status: 200, body: resultXml(dirSegments.at(-1) ?? '', request, [], [], undefined) };
  }
  const keys: string[] = [];
  await walk(join(dirAbs, ...prefixSegments), prefixSegments.map((s) => s + '/').join(''), dotfiles, new Set(), keys);

  let after = request.startAfter;
  if (request.continuationToken !== undefined) {
    const token = Buffer.from(request.continuationToken, 'base64url').toString('utf8');
    if (!token || Buffer.from(token, 'utf8').toString('base64url') !== request.continuationToken) {
      return s3Error(400, 'InvalidArgument', 'The continuation token is not valid.');
    }
    if (after === undefined || byteCompare(token, after) > 0) after = token;
  }

  const matching = keys.filter((k) => k.startsWith(prefix) && (after === undefined || byteCompare(k, after) > 0)).sort(byteCompare);
  const files: string[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let truncated = false;
  for (const key of matching) {
    let common: string | undefined;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) common = key.slice(0, at + delimiter.length);
    }
    if (common !== undefined && (common === commonPrefixes.at(-1) || (after !== undefined && byteCompare(common, after) <= 0))) continue;
    if (files.length + commonPrefixes.length >= request.maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) commonPrefixes.push(common);
    else files.push(key);
    last = common ?? key;
  }

  const contents = await Promise.all(
    files.map(async (key) => {
      const st = await stat(join(dirAbs, ...key.split('/'))).catch(() => undefined);
      return { key, sizeBytes: st?.size ?? 0, mtime: st?.mtime ?? new Date(0) };
    }),
  );
  const next = truncated && last !== undefined ? Buffer.from(last, 'utf8').toString('base64url') : undefined;
  return { status: 200, body: resultXml(dirSegments.at(-1) ?? '', request, contents, commonPrefixes, next) };
}

function resultXml(
  name: string,
  request: ListRequest,
  contents: { key: string; sizeBytes: number; mtime: Date }[],
  commonPrefixes: string[],
  nextToken: string | undefined,
): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Name>${xmlEscape(name)}</Name>`,
    `<Prefix>${xmlEscape(request.prefix)}</Prefix>`,
  ];
  if (request.startAfter !== undefined) parts.push(`<StartAfter>${xmlEscape(request.startAfter)}</StartAfter>`);
  if (request.continuationToken !== undefined) parts.push(`<ContinuationToken>${xmlEscape(request.continuationToken)}</ContinuationToken>`);
  parts.push(`<KeyCount>${contents.length + commonPrefixes.length}</KeyCount>`, `<MaxKeys>${request.maxKeys}</MaxKeys>`);
  if (request.delimiter !== undefined) parts.push(`<Delimiter>${xmlEscape(request.delimiter)}</Delimiter>`);
  parts.push(`<IsTruncated>${nextToken !== undefined}</IsTruncated>`);
  for (const c of contents) {
    parts.push(
      `<Contents><Key>${xmlEscape(c.key)}</Key><LastModified>${c.mtime.toISOString()}</LastModified>` +
        `<ETag>"${c.sizeBytes.toString(16)}-${c.mtime.getTime().toString(16)}"</ETag><Size>${c.sizeBytes}</Size>` +
        '<StorageClass>STANDARD</StorageClass></Contents>',
    );
  }
  for (const p of commonPrefixes) parts.push(`<CommonPrefixes><Prefix>${xmlEscape(p)}</Prefix></CommonPrefixes>`);
  if (nextToken !== undefined) parts.push(`<NextContinuationToken>${nextToken}</NextContinuationToken>`);
  parts.push('</ListBucketResult>', '');
  return parts.join('\n');
}
