import { describe, expect, it } from 'vitest';
import { corsHint } from './remote-errors.ts';

describe('corsHint', () => {
  const base = { where: 'S3 bucket "lake"', bucket: 'lake', appOrigin: 'https://app.example.com' };

  it('gives the bucket CORS rule for AWS (no MinIO advice)', () => {
    for (const endpointOrigin of [undefined, 'https://s3.eu-west-1.amazonaws.com']) {
      const hint = corsHint({ ...base, endpointOrigin });
      expect(hint).toContain('put-bucket-cors --bucket lake');
      expect(hint).toContain('"AllowedOrigins":["https://app.example.com"]');
      expect(hint).not.toContain('MINIO_API_CORS_ALLOW_ORIGIN');
    }
  });

  it('adds the server-wide setting for S3-compatible servers without bucket CORS (MinIO)', () => {
    const hint = corsHint({ ...base, endpointOrigin: 'http://127.0.0.1:9000' });
    expect(hint).toContain('put-bucket-cors --bucket lake');
    expect(hint).toContain('MINIO_API_CORS_ALLOW_ORIGIN=https://app.example.com');
  });
});
