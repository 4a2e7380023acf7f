/**
 * A real S3-compatible server (s3rver: HTTP, SigV4 signature checks, objects on disk) on a random loopback
 * port with its own temporary directory, for tests of the S3 blob backend.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

// s3rver's built-in account.
export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';

export interface TestS3 {
  endpoint: string;
  dir: string;
  /** HAWIYA_BLOB_URL for a bucket (created at start when listed in `buckets`). */
  blobUrl(bucket: string, extra?: Record<string, string>): string;
  close(): Promise<void>;
}

export async function startS3Server(buckets: string[] = ['hawiya']): Promise<TestS3> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawiya-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  return {
    endpoint,
    dir,
    blobUrl: (bucket, extra = {}) => {
      const q = new URLSearchParams({ endpoint, region: 'us-east-1', accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY, forcePathStyle: 'true', ...extra });
      return `s3://${bucket}?${q}`;
    },
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
