/**
 * Remote tables for the CLI (issue #16): `delta-explorer <command> <location>` where the location is
 *
 * - `http://…` / `https://…` — a table under any web server or object-store URL ({@link HttpStore});
 * - `s3://bucket/path` — an S3 (or S3-compatible) bucket prefix ({@link S3Store}), with credentials,
 *   region and endpoint resolved as every AWS tool resolves them: the AWS SDK's default provider
 *   chain (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_PROFILE` and
 *   `~/.aws/credentials` / `~/.aws/config`, SSO, web identity, instance roles), `AWS_REGION` (or
 *   `AWS_DEFAULT_REGION`, else the profile's region), `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`
 *   for MinIO and other S3-compatible stores (path-style addressing then);
 * - `lakefs://repository/ref/path` — a folder of a lakeFS branch, tag or commit ({@link LakeFsStore}),
 *   with the endpoint and key from `LAKECTL_SERVER_ENDPOINT_URL`,
 *   `LAKECTL_CREDENTIALS_ACCESS_KEY_ID`, `LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY`, or else lakectl's
 *   own `~/.lakectl.yaml` (`server.endpoint_url`, `credentials.access_key_id`,
 *   `credentials.secret_access_key`; `LAKECTL_CONFIG_FILE` names another file).
 *
 * The same stores, and so the same retry layer (`src/delta/storage/retry.ts`), as the app. Secrets
 * are never taken from the command line (a URL with user info is refused) and never printed:
 * descriptions and errors name the bucket, repository, ref and path only.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { parse as parseYaml } from 'yaml';
import { DeltaError } from '../delta/errors.ts';
import { HttpStore } from '../delta/storage/http.ts';
import { LakeFsClient, LakeFsStore, normalizeLakeFsEndpoint } from '../delta/storage/lakefs.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import { S3Store } from '../delta/storage/s3.ts';

/** True when a command-line location names a remote table (`http(s)://`, `s3://`, `lakefs://`). */
export function isRemoteLocation(location: string): boolean {
  return /^(https?|s3|lakefs):\/\//i.test(location);
}

/** Environment and files the resolver reads (tests give their own). */
export interface RemoteSourceContext {
  env?: Record<string, string | undefined>;
  /** Home folder for `~/.lakectl.yaml` (default: the user's). */
  home?: string;
  /** `fetch` for the HTTP and lakeFS stores (default: the global one). */
  fetch?: typeof fetch;
}

/** Splits `scheme://first/rest…` into its first segment and the rest (no leading or trailing `/`). */
function splitLocation(location: string, scheme: string): { first: string; rest: string[] } {
  const body = location.slice(scheme.length + 3);
  const parts = body.split('/').filter((p) => p !== '');
  return { first: parts[0] ?? '', rest: parts.slice(1).map((p) => decodeURIComponent(p)) };
}

/**
 * Opens the store of a remote location.
 * @throws DeltaError `INVALID_ARGUMENT` for a malformed location or one carrying credentials, and
 *   for lakeFS without an endpoint or key; lakeFS errors resolving the ref (`STORAGE_ERROR`,
 *   `WRONG_CREDENTIALS`, `ACCESS_DENIED`).
 */
export async function openRemoteStore(location: string, ctx: RemoteSourceContext = {}): Promise<ObjectStore> {
  const env = ctx.env ?? process.env;
  const scheme = location.slice(0, location.indexOf(':')).toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    let u: URL;
    try {
      u = new URL(location);
    } catch {
      throw new DeltaError('INVALID_ARGUMENT', `Not a URL: ${location.replace(/[?#].*$/, '')}`);
    }
    if (u.username || u.password) {
      throw new DeltaError('INVALID_ARGUMENT', 'A table URL must not carry a user name or password.', {
        hint: 'Put credentials where no one sees them: a presigned URL, an s3:// location with AWS credentials in the environment, or lakefs:// with LAKECTL_* variables.',
      });
    }
    return new HttpStore(location, ctx.fetch ? { fetch: ctx.fetch } : {});
  }
  if (scheme === 's3' || scheme === 's3a') {
    const { first: bucket, rest } = splitLocation(location, scheme);
    if (!bucket) throw new DeltaError('INVALID_ARGUMENT', `No bucket in ${location}: write s3://bucket/path/to/table.`);
    const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
    const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? 'us-east-1' : undefined);
    // No credentials given: the SDK's default provider chain finds them (environment, profiles, SSO, roles).
    const client = new S3Client({
      ...(region ? { region } : {}),
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1, // retries are retry.ts's
    });
    return new S3Store(client, { endpoint, region: region ?? 'us-east-1', bucket, prefix: rest.join('/') });
  }
  if (scheme === 'lakefs') {
    const { first: repository, rest } = splitLocation(location, scheme);
    const [ref, ...path] = rest;
    if (!repository || !ref) throw new DeltaError('INVALID_ARGUMENT', `Write a lakeFS table as lakefs://repository/ref/path/to/table (got ${location}).`);
    const settings = await lakectlSettings(env, ctx.home);
    const client = new LakeFsClient(settings.endpoint, { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }, ctx.fetch ? { fetch: ctx.fetch } : {});
    // Read at the commit the ref points at now, so the log does not move under one command.
    const commit = await client.commit(repository, ref);
    return new LakeFsStore(client, { repository, ref: commit.id, root: path.join('/'), presign: false });
  }
  throw new DeltaError('INVALID_ARGUMENT', `Unknown location scheme ${scheme}://: give a folder, http(s)://, s3:// or lakefs://.`);
}

/** lakeFS endpoint and key from `LAKECTL_*` variables or lakectl's config file. */
async function lakectlSettings(env: Record<string, string | undefined>, home?: string): Promise<{ endpoint: string; accessKeyId: string; secretAccessKey: string }> {
  let endpoint = env.LAKECTL_SERVER_ENDPOINT_URL;
  let accessKeyId = env.LAKECTL_CREDENTIALS_ACCESS_KEY_ID;
  let secretAccessKey = env.LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY;
  const file = env.LAKECTL_CONFIG_FILE || join(home ?? homedir(), '.lakectl.yaml');
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      let config: { server?: { endpoint_url?: string }; credentials?: { access_key_id?: string; secret_access_key?: string } };
      try {
        config = (parseYaml(text) ?? {}) as typeof config;
      } catch (e) {
        throw new DeltaError('INVALID_ARGUMENT', `${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
      }
      endpoint ||= config.server?.endpoint_url;
      accessKeyId ||= config.credentials?.access_key_id;
      secretAccessKey ||= config.credentials?.secret_access_key;
    }
  }
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    const missing = [!endpoint && 'LAKECTL_SERVER_ENDPOINT_URL', !accessKeyId && 'LAKECTL_CREDENTIALS_ACCESS_KEY_ID', !secretAccessKey && 'LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY'].filter(Boolean);
    throw new DeltaError('INVALID_ARGUMENT', `No lakeFS ${missing.length === 3 ? 'settings' : 'setting'} for ${missing.join(', ')}.`, {
      hint: `Set them in the environment, or run \`lakectl config\` (writes ${file}).`,
    });
  }
  return { endpoint: normalizeLakeFsEndpoint(endpoint), accessKeyId, secretAccessKey };
}
