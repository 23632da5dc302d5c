/**
 * The one S3 case the real S3 server of `npm run test:peers` (MinIO, `e2e-peers/s3-minio.spec.ts`)
 * cannot show, against s3rver (`s3-server.ts`) in plain `npm test`: **bucket-level CORS**, as AWS S3
 * does it. s3rver takes a CORS rule per bucket (`PutBucketCors`); MinIO of the pinned version answers
 * `PutBucketCors` with NotImplemented and allows origins server-wide only. So here bucket `lake`
 * allows the app's origin and bucket `nocors` has no rule: the first connects and opens a table,
 * the second gives `CORS_REFUSED` whose hint is the exact `put-bucket-cors` command for that bucket.
 *
 * Everything else of the S3 source (browse, ranged previews, time travel, wrong secret — s3rver
 * does not verify signatures —, unknown key, IAM-denied reads, expired presigned URLs, share links,
 * remembering keys, the secrets check) runs against MinIO under `npm run test:peers`.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3RVER_KEY, startS3Server, type S3Server } from './s3-server.ts';
import { expectNoSecret, recordTraffic } from './secrets.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;
/** s3rver accepts any secret for its key: a distinctive one can be searched for everywhere. */
const SECRET = 'Zq9-TopSecret-Value-7xK';

let s3: S3Server;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(join(ROOT, 'test-results/screenshots'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-results/screenshots', `${name}.png`), fullPage: true });
}

test.beforeAll(async () => {
  s3 = await startS3Server({
    buckets: [{ name: 'lake', corsOrigin: BASE }, { name: 'nocors' }],
    tables: [
      { bucket: 'lake', prefix: 'warehouse/dv_table', dir: join(TABLES, 'table_with_deletion_logs') },
      { bucket: 'nocors', prefix: 'sales', dir: join(TABLES, 'delta-0.8.0-partitioned') },
    ],
  });
});

test.afterAll(async () => {
  await s3?.stop();
});

async function connect(page: Page, bucket: string): Promise<void> {
  await page.getByTestId('source-s3').click();
  await page.getByTestId('s3-endpoint').fill(s3.endpoint);
  await page.getByTestId('s3-bucket').fill(bucket);
  await page.getByTestId('s3-accessKeyId').fill(S3RVER_KEY);
  await page.getByTestId('s3-secretAccessKey').fill(SECRET);
  await page.getByTestId('s3-connect').click();
}

test('bucket CORS: a bucket whose rule allows the app opens; one without a rule is CORS_REFUSED with the put-bucket-cors command', async ({ page, context }) => {
  const rec = recordTraffic(context, page);
  await page.goto('/');
  await connect(page, 'lake');
  await page.getByTestId('s3-folder').filter({ hasText: 'warehouse' }).getByRole('button').first().click();
  const row = page.locator('[data-testid=s3-folder][data-path="warehouse/dv_table"]');
  await expect(row).toHaveAttribute('data-table', 'yes');
  await row.getByTestId('s3-open').click();
  await expect(page.getByTestId('version-current')).toHaveText('20');

  await page.goto('/');
  await connect(page, 'nocors');
  const panel = page.getByTestId('s3-panel');
  await expect(panel.getByTestId('error-code')).toHaveText('CORS_REFUSED');
  await expect(panel.getByTestId('error-hint')).toContainText(`"AllowedOrigins":["${BASE}"]`);
  await expect(panel.getByTestId('error-hint')).toContainText('put-bucket-cors --bucket nocors');
  await shot(page, 's3-cors-refused');
  await expectNoSecret(page, rec, SECRET);
});
