/**
 * An S3 connection (AWS S3 or S3-compatible) as a {@link RemoteConnectionImpl}: one SDK client
 * holding the credentials in memory, stores rooted at bucket prefixes, folder browsing.
 */
import { DeltaError } from '../delta/errors.ts';
import { makeS3Client, s3EndpointOf, S3Store } from '../delta/storage/s3.ts';
import type { RemoteBrowsePlace, S3ConnectionConfig } from './api.ts';
import { cleanPrefix, type RemoteConnectionImpl } from './remote.ts';

/**
 * Connects: validates the settings, makes the client and checks the credentials with one listing
 * of the prefix (`ListObjectsV2`, `MaxKeys: 1`).
 * @throws DeltaError `INVALID_ARGUMENT` (missing bucket, key or secret; bad endpoint URL),
 *   `WRONG_CREDENTIALS`, `ACCESS_DENIED`, `EXPIRED`, `CORS_REFUSED`, `STORAGE_ERROR`.
 */
export async function connectS3(
  connectionId: string,
  config: S3ConnectionConfig,
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<RemoteConnectionImpl> {
  const bucket = config.bucket?.trim();
  if (!bucket) throw new DeltaError('INVALID_ARGUMENT', 'Give the bucket name.');
  if (!config.accessKeyId?.trim() || !config.secretAccessKey) throw new DeltaError('INVALID_ARGUMENT', 'Give the access key id and the secret access key.');
  const endpoint = config.endpoint?.trim() || undefined;
  if (endpoint) {
    let u: URL;
    try {
      u = new URL(endpoint);
    } catch {
      throw new DeltaError('INVALID_ARGUMENT', `The endpoint "${endpoint}" is not a URL.`, { hint: 'e.g. https://s3.example.com or http://127.0.0.1:9000' });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new DeltaError('INVALID_ARGUMENT', 'The endpoint must be an http(s) URL.');
    if (u.username || u.password || u.search) throw new DeltaError('INVALID_ARGUMENT', 'The endpoint must not carry credentials or a query string; use the key fields.');
  }
  const region = config.region?.trim() || 'us-east-1';
  const settings = {
    endpoint,
    region,
    bucket,
    accessKeyId: config.accessKeyId.trim(),
    secretAccessKey: config.secretAccessKey,
    sessionToken: config.sessionToken?.trim() || undefined,
    fetch: options.fetch,
  };
  const client = makeS3Client(settings);
  const top = new S3Store(client, { endpoint, region, bucket, prefix: '', fetch: options.fetch });
  const startPrefix = cleanPrefix(config.prefix);
  // One cheap request proves the endpoint, the CORS rule and the credentials.
  await top.hasObjects(startPrefix ? startPrefix + '/' : '', options.signal);

  const storeAt = (prefix: string) => new S3Store(client, { endpoint, region, bucket, prefix, fetch: options.fetch });
  let closed = false;
  const live = () => {
    if (closed) throw new DeltaError('INVALID_ARGUMENT', 'This S3 connection was closed: connect again.');
  };
  return {
    info: {
      connectionId,
      kind: 's3',
      label: `s3://${bucket}${startPrefix ? '/' + startPrefix : ''}`,
      endpoint: s3EndpointOf({ endpoint, region, bucket }),
    },
    async storeAt(place: RemoteBrowsePlace) {
      live();
      const prefix = cleanPrefix(place.prefix);
      return {
        store: storeAt(prefix),
        location: { kind: 's3', ...(endpoint ? { endpoint } : {}), region, bucket, prefix },
        label: prefix ? prefix.split('/').pop()! : bucket,
      };
    },
    async listFolder(place, signal) {
      live();
      const page = await top.listFolder(cleanPrefix(place.prefix), signal);
      return { folders: page.folders, objectCount: page.objects.length, truncated: page.truncated };
    },
    async hasObjects(place, signal) {
      live();
      return top.hasObjects(place.prefix.replace(/^\/+/, ''), signal);
    },
    close() {
      closed = true;
      client.destroy();
    },
  };
}
