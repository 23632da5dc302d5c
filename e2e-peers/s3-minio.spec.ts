/**
 * The S3 source against a real S3 server: MinIO (started by `npm run test:peers`), which verifies
 * SigV4 signatures, enforces IAM policies and checks presigned URL expiry. Bucket `lake` holds
 * `warehouse/covid` (COVID-19_NYT) and `warehouse/dv_table` (table_with_deletion_logs), uploaded
 * through the S3 API by `scripts/peers/setup_minio.py`.
 *
 * CORS: MinIO (this version) has no bucket CORS (`PutBucketCors` answers NotImplemented); its
 * server-wide `MINIO_API_CORS_ALLOW_ORIGIN` lists the app's origins (`http://127.0.0.1:<port>`), so
 * the same app opened as `http://localhost:<port>` (another origin) is refused.
 *
 * Shown: connect, browse, open, Overview facts, a SQL preview read by ranged GETs only (response
 * sizes seen by the browser), time travel; a wrong secret → WRONG_CREDENTIALS (MinIO:
 * SignatureDoesNotMatch); an unknown key → WRONG_CREDENTIALS (InvalidAccessKeyId); a user whose IAM
 * policy reads only `warehouse/covid/` → ACCESS_DENIED naming the file of the other table, while
 * covid opens; an origin MinIO does not allow → CORS_REFUSED; a share link opened in a fresh context
 * with no credentials gives the same rows; a link whose presigned URLs MinIO considers expired →
 * EXPIRED (and the link past its own time too); remembering keys is opt-in; and the secret in no
 * URL, header, storage, console line or page text.
 */
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { minioPeer } from '../peers/env.ts';
import { decodeManifest, encodeManifest } from '../src/workers/share.ts';
import { expectNoSecret, expectRequestsTo, recordTraffic } from '../e2e/secrets.ts';
import { failOnPageErrors } from '../e2e/page-errors.ts';
import { BASE, ROOT, runSql, shot } from './helpers.ts';

const minio = minioPeer();
const TABLES = join(ROOT, 'test/fixtures/tables');

failOnPageErrors();

async function connect(page: Page, o: { key?: string; secret?: string; bucket?: string; prefix?: string } = {}): Promise<void> {
  await page.getByTestId('source-s3').click();
  await page.getByTestId('s3-endpoint').fill(minio.endpoint);
  await page.getByTestId('s3-bucket').fill(o.bucket ?? 'lake');
  if (o.prefix !== undefined) await page.getByTestId('s3-prefix').fill(o.prefix);
  await page.getByTestId('s3-accessKeyId').fill(o.key ?? minio.accessKeyId);
  await page.getByTestId('s3-secretAccessKey').fill(o.secret ?? minio.secretAccessKey);
  await page.getByTestId('s3-connect').click();
}

async function openTable(page: Page, folder: string): Promise<void> {
  await page.getByTestId('s3-folder').filter({ hasText: 'warehouse' }).getByRole('button').first().click();
  const row = page.locator(`[data-testid=s3-folder][data-path="warehouse/${folder}"]`);
  await expect(row).toHaveAttribute('data-table', 'yes');
  await row.getByTestId('s3-open').click();
}

/** Data file sizes of a fixture, by object key. */
function dataFileSizes(table: string, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of readdirSync(join(TABLES, table))) if (name.endsWith('.parquet')) out.set(`${prefix}/${name}`, statSync(join(TABLES, table, name)).size);
  return out;
}

test('MinIO: connect, browse, open, preview by ranged reads only, time travel; the secret goes nowhere', async ({ page, context }) => {
  const rec = recordTraffic(context, page);
  // Bytes the browser received per object key (any frame or worker).
  const received = new Map<string, { bytes: number; methods: Set<string> }>();
  context.on('requestfinished', async (r) => {
    const u = new URL(r.url());
    if (u.origin !== minio.endpoint || u.searchParams.has('list-type') || r.method() === 'OPTIONS') return;
    const key = decodeURIComponent(u.pathname.replace(/^\/lake\//, ''));
    const s = received.get(key) ?? { bytes: 0, methods: new Set<string>() };
    s.bytes += (await r.sizes()).responseBodySize;
    s.methods.add(r.method());
    received.set(key, s);
  });
  await page.goto('/');
  await connect(page);
  await expect(page.getByTestId('s3-folder')).toHaveCount(1);
  await page.getByTestId('s3-folder').getByRole('button').first().click();
  await expect(page.getByTestId('s3-folder')).toHaveCount(2);
  await shot(page, 'minio-browser');
  await page.locator('[data-testid=s3-crumbs] button').first().click();
  await openTable(page, 'covid');
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-source')).toHaveText('s3://lake/warehouse/covid');
  await expect(page.getByTestId('overview-num-records')).toHaveAttribute('data-value', '1111930'); // MANIFEST: delta-rs test_read_tables

  received.clear();
  const rows = await runSql(page, 'SELECT county, state FROM t LIMIT 5');
  expect(rows).toHaveLength(5);
  const sizes = dataFileSizes('COVID-19_NYT', 'warehouse/covid');
  const read = [...sizes].filter(([k]) => received.has(k));
  expect(read.length, 'the preview read at least one data file').toBeGreaterThan(0);
  for (const [key, size] of read) {
    expect([...received.get(key)!.methods], `${key}: GETs only`).toEqual(['GET']);
    expect(received.get(key)!.bytes, `${key}: not fetched whole`).toBeLessThan(size);
  }
  await shot(page, 'minio-sql');

  // Time travel on a table with deletion vectors and checkpoints.
  await page.getByTestId('source-s3').click();
  await page.locator('[data-testid=s3-crumbs] button').first().click();
  await openTable(page, 'dv_table');
  await expect(page.getByTestId('version-current')).toHaveText('20');
  await page.getByTestId('version-input').fill('10');
  await page.getByTestId('version-go').click();
  await expect(page.getByTestId('version-current')).toHaveText('10');
  const latest = await runSql(page, 'SELECT count(*) FROM "t@v20"');
  expect(Number(latest[0][0])).toBe(98); // the CLI and the .crc agree: 100 rows, 2 deleted by DVs

  expectRequestsTo(rec, [BASE, minio.endpoint]);
  await expectNoSecret(page, rec, minio.secretAccessKey);
});

test('MinIO: a wrong secret and an unknown key are WRONG_CREDENTIALS, and the secret is not shown', async ({ page, context }) => {
  const rec = recordTraffic(context, page);
  const wrong = 'wrong-secret-for-dx-root-91';
  await page.goto('/');
  await connect(page, { secret: wrong });
  const panel = page.getByTestId('s3-panel');
  await expect(panel.getByTestId('error-code')).toHaveText('WRONG_CREDENTIALS');
  await expect(panel.getByTestId('error-message')).toContainText('SignatureDoesNotMatch');
  await expect(panel).not.toContainText(wrong);
  await shot(page, 'minio-wrong-secret');
  await expectNoSecret(page, rec, wrong);

  await page.getByTestId('s3-accessKeyId').fill('AKIANOSUCHKEY0000000');
  await page.getByTestId('s3-secretAccessKey').fill(minio.secretAccessKey);
  await page.getByTestId('s3-connect').click();
  await expect(panel.getByTestId('error-code')).toHaveText('WRONG_CREDENTIALS');
  await expect(panel.getByTestId('error-message')).toContainText('InvalidAccessKeyId');
  await expectNoSecret(page, rec, minio.secretAccessKey);
});

test('MinIO: a user whose IAM policy reads only warehouse/covid gets ACCESS_DENIED on the other table', async ({ page, context }) => {
  const rec = recordTraffic(context, page);
  await page.goto('/');
  await connect(page, { key: minio.restricted.accessKeyId, secret: minio.restricted.secretAccessKey });
  await openTable(page, 'dv_table');
  const err = page.getByTestId('error-panel').first();
  await expect(err).toHaveAttribute('data-code', 'ACCESS_DENIED');
  await expect(err.getByTestId('error-message')).toContainText('AccessDenied');
  await expect(err.getByTestId('error-message')).toContainText('_delta_log');
  await shot(page, 'minio-access-denied');
  // The same user opens the table the policy allows.
  await page.getByTestId('source-s3').click();
  await page.locator('[data-testid=s3-crumbs] button').first().click();
  await openTable(page, 'covid');
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-num-records')).toHaveAttribute('data-value', '1111930');
  await expectNoSecret(page, rec, minio.restricted.secretAccessKey);
});

test('MinIO: an origin its CORS setting does not allow is CORS_REFUSED, with a hint', async ({ page }) => {
  const other = BASE.replace('127.0.0.1', 'localhost'); // same app, another origin
  await page.goto(`${other}/`);
  await connect(page);
  const panel = page.getByTestId('s3-panel');
  await expect(panel.getByTestId('error-code')).toHaveText('CORS_REFUSED');
  await expect(panel.getByTestId('error-hint')).toContainText(other);
  await expect(panel.getByTestId('error-hint')).toContainText('MINIO_API_CORS_ALLOW_ORIGIN');
  await shot(page, 'minio-cors-refused');
});

test('MinIO: a share link opens without credentials with the same rows; presigned URLs MinIO finds expired give EXPIRED', async ({ page, context, browser }) => {
  const rec = recordTraffic(context, page);
  await page.goto('/');
  await connect(page);
  await openTable(page, 'dv_table');
  const query = 'SELECT id, count(*) OVER () AS n FROM t ORDER BY id LIMIT 20';
  const mine = await runSql(page, query);
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-expiry').selectOption('3600');
  await page.getByTestId('share-create').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#share=/);
  expect(link).not.toContain(minio.secretAccessKey);
  await expectNoSecret(page, rec, minio.secretAccessKey);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const rec2 = recordTraffic(fresh, other);
  await other.goto(link);
  await expect(other.getByTestId('share-banner')).toContainText('read-only: version 20');
  expect(await runSql(other, query)).toEqual(mine);
  await shot(other, 'minio-share-recipient');
  for (const r of rec2.requests) expect(r.headers.authorization, r.url).toBeUndefined();
  expectRequestsTo(rec2, [BASE, minio.endpoint]);
  await fresh.close();

  // The same manifest with every URL presigned by MinIO's rules for 1 s, opened 2 s later: the
  // link's own time has not passed, MinIO's has.
  const fragment = new URL(link).hash.slice(1);
  const manifest = await decodeManifest(fragment.slice('share='.length));
  const s3 = new S3Client({ region: 'us-east-1', endpoint: minio.endpoint, forcePathStyle: true, credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey } });
  for (const f of manifest.files) {
    const key = decodeURIComponent(new URL(f[2]).pathname.replace(/^\/lake\//, ''));
    f[2] = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'lake', Key: key }), { expiresIn: 1 });
  }
  await new Promise((r) => setTimeout(r, 2_500));
  const stale = `${link.split('#')[0]}#${await encodeManifest(manifest)}`;
  const later = await browser.newContext();
  const late = await later.newPage();
  await late.goto(stale);
  const err = late.getByTestId('error-panel').first();
  await expect(err).toHaveAttribute('data-code', 'EXPIRED');
  await expect(err.getByTestId('error-message')).toContainText('expired');
  await shot(late, 'minio-share-expired-at-server');
  await later.close();

  // The original link two hours later: the link's own time has passed (checked before any read).
  const after = await browser.newContext();
  const past = await after.newPage();
  await past.clock.install({ time: Date.now() + 2 * 3600_000 });
  await past.goto(link);
  await expect(past.getByTestId('error-code')).toHaveText('EXPIRED');
  await expect(past.getByTestId('error-message')).toContainText('This share link expired on');
  await after.close();
});

test('MinIO: remembering the keys is opt-in, and forgetting removes them', async ({ page, context }) => {
  const rec = recordTraffic(context, page);
  await page.goto('/');
  await connect(page);
  await expect(page.getByTestId('s3-browser')).toBeVisible();
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(minio.secretAccessKey);
  await expectNoSecret(page, rec, minio.secretAccessKey);
  await page.getByTestId('s3-disconnect').click();
  await page.getByTestId('s3-secretAccessKey').fill(minio.secretAccessKey);
  await page.getByTestId('s3-remember').check();
  await page.getByTestId('s3-connect').click();
  await expect(page.getByTestId('s3-browser')).toBeVisible();
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).toContain(minio.secretAccessKey);
  await page.getByTestId('s3-disconnect').click();
  await page.getByTestId('s3-remember').uncheck();
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(minio.secretAccessKey);
});
