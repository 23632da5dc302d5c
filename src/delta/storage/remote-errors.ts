/**
 * One place that turns what a remote store answered (or failed to answer) into a typed
 * {@link DeltaError} with its own message: wrong credentials, access denied, expired, CORS refusal,
 * missing object, unreachable. Messages name the object and the store, never a credential: URLs go
 * through {@link redactUrl} first.
 */
import { DeltaError } from '../errors.ts';

/**
 * A URL safe to show: user info, query string (presigned URLs carry signatures and tokens there)
 * and fragment removed; `?…` marks a dropped query. Not-a-URL input is cut at the first `?`.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = u.search ? '?…' : '';
    u.hash = '';
    return u.toString();
  } catch {
    return url.replace(/[?#].*$/, '?…');
  }
}

/** What store a request went to, for messages: e.g. `S3 bucket "logs"`, `lakeFS at https://x`. */
export interface StoreContext {
  /** Human-readable store name, no credentials. */
  where: string;
  /** Object path relative to the table root, when the request was for one object. */
  path?: string;
  /** The origin of the endpoint (for the CORS explanation), e.g. `http://127.0.0.1:9000`. */
  endpointOrigin?: string;
  /** The bucket name (for the CORS explanation). */
  bucket?: string;
  /** The app's origin (for the CORS rule), e.g. `https://explorer.example.com`. */
  appOrigin?: string;
}

/**
 * The CORS configuration a bucket needs so that this app (served from `appOrigin`) can read it:
 * as the JSON `aws s3api put-bucket-cors --cors-configuration` takes, and as S3's XML.
 */
export function bucketCorsConfiguration(appOrigin: string): { json: string; xml: string } {
  const rule = {
    AllowedOrigins: [appOrigin],
    AllowedMethods: ['GET', 'HEAD', 'PUT'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['Content-Length', 'Content-Range', 'ETag', 'Last-Modified', 'x-amz-request-id'],
    MaxAgeSeconds: 3600,
  };
  const json = JSON.stringify({ CORSRules: [rule] }, null, 2);
  const xml = [
    '<CORSConfiguration>',
    '  <CORSRule>',
    ...rule.AllowedOrigins.map((o) => `    <AllowedOrigin>${o}</AllowedOrigin>`),
    ...rule.AllowedMethods.map((m) => `    <AllowedMethod>${m}</AllowedMethod>`),
    '    <AllowedHeader>*</AllowedHeader>',
    ...rule.ExposeHeaders.map((h) => `    <ExposeHeader>${h}</ExposeHeader>`),
    `    <MaxAgeSeconds>${rule.MaxAgeSeconds}</MaxAgeSeconds>`,
    '  </CORSRule>',
    '</CORSConfiguration>',
  ].join('\n');
  return { json, xml };
}

/** The `hint` of a `CORS_REFUSED` error: what to apply to the bucket, exactly. */
export function corsHint(ctx: StoreContext): string {
  const origin = ctx.appOrigin ?? 'https://<this app>';
  const { json } = bucketCorsConfiguration(origin);
  const bucket = ctx.bucket ?? '<bucket>';
  // S3-compatible servers without bucket CORS (MinIO answers PutBucketCors with NotImplemented)
  // take the allowed origins server-wide instead.
  const awsHost = ctx.endpointOrigin === undefined || /\.amazonaws\.com(\.cn)?$/i.test(new URL(ctx.endpointOrigin).hostname);
  const serverWide = awsHost ? '' : ` On MinIO, which has no bucket CORS, allow it server-wide instead: MINIO_API_CORS_ALLOW_ORIGIN=${origin} (or mc admin config set <alias> api cors_allow_origin=${origin}).`;
  return (
    `Allow this app's origin (${origin}) in the bucket's CORS configuration, e.g. ` +
    `aws s3api put-bucket-cors --bucket ${bucket} --cors-configuration '${JSON.stringify(JSON.parse(json))}'` +
    ` (S3 console: Permissions → Cross-origin resource sharing, paste:\n${json})${serverWide}`
  );
}

/**
 * Explains a request that failed before any answer (`fetch` threw). In a browser this is either a
 * CORS refusal or an unreachable server; a second, opaque `no-cors` request to the endpoint tells
 * them apart (it succeeds when the server answers but withholds CORS headers).
 * @returns `CORS_REFUSED` (hint: the exact bucket CORS configuration) or `STORAGE_ERROR` (unreachable).
 */
export async function networkFailure(cause: unknown, ctx: StoreContext, fetchFn: typeof fetch = fetch): Promise<DeltaError> {
  const what = ctx.path ? `${ctx.path} from ${ctx.where}` : ctx.where;
  let reachable = false;
  // Only browsers enforce CORS; elsewhere a failed fetch is a network failure.
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  if (ctx.endpointOrigin && (g.document !== undefined || g.WorkerGlobalScope !== undefined)) {
    try {
      await fetchFn(ctx.endpointOrigin!, { mode: 'no-cors', cache: 'no-store' });
      reachable = true;
    } catch {
      reachable = false;
    }
  }
  if (reachable) {
    return new DeltaError('CORS_REFUSED', `The browser blocked reading ${what}: the server answered without CORS headers allowing this app.`, {
      path: ctx.path,
      cause,
      hint: ctx.bucket !== undefined ? corsHint(ctx) : `Serve it from this app's origin, or through a reverse proxy that adds Access-Control-Allow-Origin: ${ctx.appOrigin ?? '<this app>'}.`,
    });
  }
  return new DeltaError('STORAGE_ERROR', `Cannot reach ${what}: no answer (${(cause as Error)?.message ?? String(cause)}).`, {
    path: ctx.path,
    cause,
    hint: 'Check the endpoint address and your network; the server may be down.',
  });
}

/**
 * Maps an error answer of an S3-protocol store (code from the XML body or SDK exception name, HTTP
 * status) to a typed error. `InvalidAccessKeyId` / `SignatureDoesNotMatch` / 401 → `WRONG_CREDENTIALS`;
 * `ExpiredToken`, `Request has expired` → `EXPIRED`; other 403 → `ACCESS_DENIED`; `NoSuchKey` / 404 →
 * `FILE_NOT_FOUND`; `NoSuchBucket` → `STORAGE_ERROR` naming the bucket; anything else `STORAGE_ERROR`.
 */
export function storeAnswerError(status: number, code: string | undefined, message: string | undefined, ctx: StoreContext): DeltaError {
  const what = ctx.path ? `${ctx.path} in ${ctx.where}` : ctx.where;
  const text = `${code ?? ''} ${message ?? ''}`;
  const answer = code ? `${code}, HTTP ${status}` : `HTTP ${status}`;
  if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || code === 'InvalidClientTokenId' || status === 401 || /invalid.*(access key|token)|signature.*does not match/i.test(text)) {
    return new DeltaError('WRONG_CREDENTIALS', `${ctx.where} refused the credentials (${answer}): the access key is unknown or the secret does not match.`, {
      path: ctx.path,
      hint: 'Check the access key id and the secret key (and the session token for temporary credentials), then connect again.',
    });
  }
  if (code === 'ExpiredToken' || code === 'TokenRefreshRequired' || /expired/i.test(text)) {
    return new DeltaError('EXPIRED', `Access to ${what} has expired (${answer}).`, {
      path: ctx.path,
      hint: 'A presigned URL, share link or temporary credential is past its time: ask for a new link, or connect again with fresh credentials.',
    });
  }
  if (status === 403 || code === 'AccessDenied' || code === 'AllAccessDisabled') {
    return new DeltaError('ACCESS_DENIED', `Access denied to ${what} (${answer}): the server refuses to let these credentials (or this link) read it.`, {
      path: ctx.path,
      hint: 'Ask for s3:ListBucket and s3:GetObject on this bucket and prefix (or the lakeFS read permission).',
    });
  }
  if (code === 'NoSuchBucket') {
    return new DeltaError('STORAGE_ERROR', `${ctx.where}: the bucket does not exist.`, { path: ctx.path, hint: 'Check the bucket name, region and endpoint.' });
  }
  if (status === 404 || code === 'NoSuchKey' || code === 'NotFound') {
    return new DeltaError('FILE_NOT_FOUND', `File not found: ${what}.`, { path: ctx.path });
  }
  return new DeltaError('STORAGE_ERROR', `${ctx.where} answered ${code ?? ''} HTTP ${status} for ${ctx.path ?? 'the request'}${message ? `: ${message}` : ''}.`, { path: ctx.path });
}
