/**
 * {@link ObjectStore} over an S3 bucket (AWS S3 or an S3-compatible store: MinIO, R2, Ceph, s3rver),
 * through the AWS SDK v3: `ListObjectsV2` for listings, ranged `GetObject` for the log, SigV4
 * presigned `GET` URLs for everything a third party reads (DuckDB's ranged data reads, share links).
 *
 * No `HEAD` of data files: a presigned URL is valid for one method only, and real S3 refuses `HEAD`
 * on a URL presigned for `GET`; data file sizes come from the Delta log (`add.size`), so the store
 * flags its URLs `getOnlyUrls` and the data plane reads them by range with the size it already knows.
 *
 * Credentials live in the `S3Client` (memory); no method puts them in a message: SDK errors are
 * mapped by code and HTTP status (`remote-errors.ts`), URLs are redacted.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DeltaError, throwIfAborted } from '../errors.ts';
import { compareBytes, joinPath, type ByteRange, type ListOptions, type ObjectMeta, type ObjectStore, type UrlSource, type Signer, type Writer, type StoreCapabilities } from './object-store.ts';
import { networkFailure, storeAnswerError, type StoreContext } from './remote-errors.ts';
import { isRetryableStatus, markTransient, transientError, withRetry } from './retry.ts';

/** Settings of an {@link S3Store}. Secrets are only handed to the SDK client. */
export interface S3StoreConfig {
  /** Endpoint URL of an S3-compatible store (path-style addressing); absent for AWS S3. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Key prefix the store is rooted at, no leading or trailing `/` (`''`: the bucket root). */
  prefix?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** `fetch` for the CORS probe (default: the global one). */
  fetch?: typeof fetch;
}

/** Lifetime of the presigned URLs the data plane reads through, seconds. */
export const DATA_URL_EXPIRY_SECONDS = 3600;
/** The longest presigned URL S3 (SigV4) accepts: 7 days, in seconds. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** Makes the SDK client for a config: path-style for custom endpoints, checksums only when required. */
export function makeS3Client(config: S3StoreConfig): S3Client {
  return new S3Client({
    region: config.region || 'us-east-1',
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    credentials: {
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
    },
    // Flexible checksums (CRC32 on every request, checksum mode on GET) are not needed to read and
    // are unknown to many S3-compatible stores.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Retries are ours (retry.ts): one policy, deadline and message for every backend.
    maxAttempts: 1,
  });
}

/** The endpoint an S3 config sends requests to (AWS: the regional virtual-hosted endpoint). */
export function s3EndpointOf(config: Pick<S3StoreConfig, 'endpoint' | 'region' | 'bucket'>): string {
  if (config.endpoint) return config.endpoint.replace(/\/+$/, '');
  return `https://${config.bucket}.s3.${config.region || 'us-east-1'}.amazonaws.com`;
}

/** A read-only (plus one optional write: share manifests) store over an S3 bucket prefix. */
export class S3Store implements UrlSource, Signer, Writer {
  readonly description: string;
  readonly capabilities: StoreCapabilities = { list: true, getOnlyUrls: true };
  private readonly root: string;
  private readonly urlCache = new Map<string, { url: string; expiresAtMs: number }>();

  /**
   * @param client an SDK client made by {@link makeS3Client} (shared by the stores of one connection).
   * @param config bucket, prefix, endpoint (the credentials are already in `client`).
   */
  constructor(
    private readonly client: S3Client,
    private readonly config: Pick<S3StoreConfig, 'endpoint' | 'region' | 'bucket' | 'prefix' | 'fetch'>,
  ) {
    this.root = joinPath(config.prefix ?? '');
    this.description = `s3://${config.bucket}${this.root ? '/' + this.root : ''}`;
  }

  private key(path: string): string {
    return joinPath(this.root, path) + (path.endsWith('/') && path !== '/' ? '/' : '');
  }

  private ctx(path?: string): StoreContext {
    const endpoint = s3EndpointOf(this.config);
    let endpointOrigin: string | undefined;
    try {
      endpointOrigin = new URL(endpoint).origin;
    } catch {
      endpointOrigin = undefined;
    }
    const loc = (globalThis as { location?: { origin?: string } }).location;
    return { where: `S3 bucket "${this.config.bucket}"`, path, bucket: this.config.bucket, endpointOrigin, appOrigin: loc?.origin };
  }

  /**
   * Runs an SDK call with retries (`retry.ts`: throttling, server errors, no answer, cut-off bodies
   * and documents) and maps its failure to a typed error (no credential in any message).
   */
  private async call<T>(path: string | undefined, signal: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    throwIfAborted(signal);
    return withRetry({ file: path ?? '(listing)', where: this.description }, async (attempt) => {
      try {
        return await fn(attempt.signal);
      } catch (e) {
        if (attempt.signal.aborted) throw e;
        const err = await sdkError(e, this.ctx(path), this.config.fetch);
        const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
        if (err.code === 'STORAGE_ERROR' && (status === undefined || isRetryableStatus(status) || (status >= 200 && status < 300))) {
          // No answer, a transient status, or a 2xx whose document could not be read whole.
          markTransient(err, { status, reason: status ? `HTTP ${status}${(e as Error)?.name && (e as Error).name !== 'Error' ? ` ${(e as Error).name}` : ''}` : 'no answer' });
        }
        throw err;
      }
    }, { signal });
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    const fullPrefix = prefix ? this.key(prefix) : this.root ? this.root + '/' : '';
    const strip = this.root ? this.root.length + 1 : 0;
    const out: ObjectMeta[] = [];
    let token: string | undefined;
    const startAfter = options.startAfter !== undefined ? this.key(options.startAfter) : undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.call(prefix || undefined, options.signal, (sig) =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.config.bucket,
            Prefix: fullPrefix,
            ...(options.shallow ? { Delimiter: '/' } : {}),
            ...(startAfter !== undefined && !token ? { StartAfter: startAfter } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
          { abortSignal: sig },
        ),
      );
      for (const o of page.Contents ?? []) {
        // Keys ending in `/` are folder markers (S3 console "Create folder"), not files.
        if (!o.Key || o.Key.endsWith('/') || (startAfter !== undefined && compareBytes(o.Key, startAfter) <= 0)) continue;
        out.push({ path: o.Key.slice(strip), sizeBytes: Number(o.Size ?? 0), lastModifiedMs: o.LastModified ? o.LastModified.getTime() : 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && !token) {
        throw new DeltaError('STORAGE_ERROR', `The listing of ${fullPrefix || '/'} in ${this.description} says it continues but gives no continuation token.`, {
          path: prefix,
          hint: 'The store answers ListObjectsV2 incorrectly; the listing cannot be completed.',
        });
      }
    } while (token);
    // S3 sorts by UTF-8 bytes already; some compatible stores do not.
    return out.sort((a, b) => compareBytes(a.path, b.path));
  }

  /**
   * One page (≤ 1,000) of a folder listing with delimiter `/`: sub-folder keys (relative to the store
   * root, no trailing `/`) and objects directly in it.
   * @throws as {@link list}.
   */
  async listFolder(prefix: string, signal?: AbortSignal): Promise<{ folders: string[]; objects: ObjectMeta[]; truncated: boolean }> {
    const p = joinPath(prefix);
    const fullPrefix = this.key(p ? p + '/' : '');
    const strip = this.root ? this.root.length + 1 : 0;
    const page = await this.call(p || undefined, signal, (sig) =>
      this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: fullPrefix === '/' ? '' : fullPrefix, Delimiter: '/', MaxKeys: 1000 }), { abortSignal: sig }),
    );
    const folders = [...new Set((page.CommonPrefixes ?? []).map((c) => (c.Prefix ?? '').slice(strip).replace(/\/+$/, '')).filter(Boolean))];
    const objects = (page.Contents ?? []).filter((o) => o.Key && !o.Key.endsWith('/')).map((o) => ({ path: (o.Key ?? '').slice(strip), sizeBytes: Number(o.Size ?? 0), lastModifiedMs: o.LastModified?.getTime() ?? 0 }));
    return { folders, objects, truncated: !!page.IsTruncated };
  }

  /** Whether any key starts with `prefix` (one `ListObjectsV2` with `MaxKeys: 1`). */
  async hasObjects(prefix: string, signal?: AbortSignal): Promise<boolean> {
    const page = await this.call(prefix, signal, (sig) =>
      this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: this.key(prefix), MaxKeys: 1 }), { abortSignal: sig }),
    );
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
  }

  async get(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    return this.call(path, signal, async (sig) => {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.key(path) }), { abortSignal: sig });
      return checkedBody(res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0), res.ContentLength, path);
    });
  }

  async getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    if (range.end <= range.start) return new Uint8Array(0);
    return this.call(path, signal, async (sig) => {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: this.key(path), Range: `bytes=${range.start}-${range.end - 1}` }),
        { abortSignal: sig },
      );
      const bytes = checkedBody(res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0), res.ContentLength, path);
      // A store that ignores Range answers the whole object.
      return res.ContentRange || bytes.byteLength <= range.end - range.start ? bytes : bytes.subarray(range.start, range.end);
    });
  }

  async head(path: string, signal?: AbortSignal): Promise<ObjectMeta> {
    return this.call(path, signal, async (sig) => {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.key(path) }), { abortSignal: sig });
      return { path, sizeBytes: Number(res.ContentLength ?? 0), lastModifiedMs: res.LastModified?.getTime() ?? 0 };
    });
  }

  /** A presigned GET URL valid for about an hour (reused while it has more than 10 minutes left). */
  async url(path: string): Promise<string> {
    const now = Date.now();
    const cached = this.urlCache.get(path);
    if (cached && cached.expiresAtMs - now > 10 * 60_000) return cached.url;
    const signed = await this.presign(path, DATA_URL_EXPIRY_SECONDS);
    this.urlCache.set(path, signed);
    return signed.url;
  }

  /**
   * A SigV4 presigned GET URL (computed locally, no request).
   * @throws DeltaError `INVALID_ARGUMENT` when `expiresInSeconds` is not 1 ... 604,800.
   */
  async presign(path: string, expiresInSeconds: number, _signal?: AbortSignal, signingDate?: Date): Promise<{ url: string; expiresAtMs: number }> {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
      throw new DeltaError('INVALID_ARGUMENT', `A presigned URL lives 1 second to 7 days; ${expiresInSeconds} s was asked.`);
    }
    const date = signingDate ?? new Date();
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.config.bucket, Key: this.key(path) }), {
      expiresIn: expiresInSeconds,
      signingDate: date,
    });
    return { url, expiresAtMs: date.getTime() + expiresInSeconds * 1000 };
  }

  async put(path: string, bytes: Uint8Array, contentType: string, signal?: AbortSignal): Promise<void> {
    // A PUT of the same bytes is idempotent: retried like a read.
    await this.call(path, signal, (sig) =>
      this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: this.key(path), Body: bytes, ContentType: contentType }), { abortSignal: sig }),
    );
  }
}

/** `bytes` when as long as the answer's `Content-Length` said; a transient error when cut short. */
function checkedBody(bytes: Uint8Array, contentLength: number | undefined, path: string): Uint8Array {
  if (contentLength !== undefined && bytes.byteLength < contentLength) {
    throw transientError(`The answer for ${path} was cut short: ${bytes.byteLength} of ${contentLength} bytes.`, { reason: `body cut short (${bytes.byteLength} of ${contentLength} bytes)` }, path);
  }
  return bytes;
}

/**
 * Maps an SDK failure to a typed error: service answers by code and status, requests that got no
 * answer (fetch threw: CORS or network) by {@link networkFailure}.
 */
export async function sdkError(e: unknown, ctx: StoreContext, fetchFn?: typeof fetch): Promise<DeltaError> {
  if (e instanceof DeltaError) return e;
  const err = e as { name?: string; message?: string; Code?: string; $metadata?: { httpStatusCode?: number }; $response?: unknown };
  if (err?.name === 'AbortError') return new DeltaError('CANCELLED', 'Cancelled.');
  const status = err?.$metadata?.httpStatusCode;
  if (status) {
    const code = err.Code ?? (err.name && err.name !== 'Error' && !/^\d+$/.test(err.name) && err.name !== 'UnknownError' ? err.name : undefined);
    // Never echo SDK messages verbatim for auth failures: they are safe, but short is clearer.
    return storeAnswerError(status, code, code && /denied|credential|signature|key/i.test(code) ? undefined : err.message, ctx);
  }
  return networkFailure(e, ctx, fetchFn);
}
