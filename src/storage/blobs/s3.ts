/**
 * S3-compatible blob backend (AWS S3, MinIO, Ceph, R2…) over fetch with a small AWS Signature V4 signer:
 * four object/bucket calls do not justify the weight of the AWS SDK.
 *
 *   s3://bucket[/prefix]?endpoint=http://127.0.0.1:9000&region=us-east-1&accessKeyId=…&secretAccessKey=…&forcePathStyle=true
 *
 * Credentials and region fall back to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN / AWS_REGION.
 * Without `endpoint` the AWS endpoint of the region is used with virtual-hosted addressing; with one, path-style
 * addressing is the default because most self-hosted servers expect it.
 */
import crypto from 'node:crypto';
import type { BlobBackend } from './store.js';

export interface S3Options {
  bucket: string;
  /** Key prefix inside the bucket ('' or ending in '/'). */
  prefix: string;
  endpoint: URL;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  forcePathStyle: boolean;
  timeoutMs: number;
}

const sha256hex = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => crypto.createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding as SigV4 requires (encodeURIComponent leaves !'()* alone). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/**
 * AWS Signature Version 4 (header form). Adds `x-amz-date` (unless present) and `authorization` to
 * `req.headers`, which must hold `host` and every other header to sign. The path is signed as given
 * (already encoded once: S3 does not double-encode).
 */
export function signV4(
  req: { method: string; url: URL; headers: Record<string, string>; payloadHash: string; date?: Date },
  creds: { accessKeyId: string; secretAccessKey: string; region: string; service?: string },
): void {
  const h = req.headers;
  for (const k of Object.keys(h)) {
    const lower = k.toLowerCase();
    if (lower !== k) { h[lower] = h[k]!; delete h[k]; }
  }
  h['x-amz-date'] ??= (req.date ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const amzDate = h['x-amz-date'];
  const day = amzDate.slice(0, 8);
  const names = Object.keys(h).sort();
  const query = [...req.url.searchParams].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort().join('&');
  const canonical = [req.method, req.url.pathname, query, ...names.map((n) => `${n}:${h[n]!.trim().replace(/\s+/g, ' ')}`), '', names.join(';'), req.payloadHash].join('\n');
  const scope = `${day}/${creds.region}/${creds.service ?? 's3'}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
  const kSigning = hmac(hmac(hmac(hmac('AWS4' + creds.secretAccessKey, day), creds.region), creds.service ?? 's3'), 'aws4_request');
  const signature = crypto.createHmac('sha256', kSigning).update(toSign).digest('hex');
  h.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`;
}

export class S3Error extends Error {
  constructor(readonly status: number, readonly code: string | undefined, op: string) {
    super(`S3 ${op} failed: HTTP ${status}${code ? ` ${code}` : ''}`);
    this.name = 'S3Error';
  }
}

export class S3BlobBackend implements BlobBackend {
  constructor(private readonly o: S3Options) {}

  static fromUrl(url: string, env: NodeJS.ProcessEnv = process.env): S3BlobBackend {
    const u = new URL(url);
    if (u.protocol !== 's3:' || !u.hostname) throw new Error('HAWIYA_BLOB_URL must look like s3://bucket?endpoint=…');
    const q = u.searchParams;
    const region = q.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const accessKeyId = q.get('accessKeyId') ?? env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = q.get('secretAccessKey') ?? env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error('S3 blob store needs credentials: accessKeyId/secretAccessKey in HAWIYA_BLOB_URL or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    }
    const endpointText = q.get('endpoint');
    const prefix = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
    return new S3BlobBackend({
      bucket: u.hostname,
      prefix: prefix && !prefix.endsWith('/') ? prefix + '/' : prefix,
      endpoint: new URL(endpointText ?? `https://s3.${region}.amazonaws.com`),
      region,
      accessKeyId,
      secretAccessKey,
      sessionToken: q.get('sessionToken') ?? env.AWS_SESSION_TOKEN ?? undefined,
      forcePathStyle: q.has('forcePathStyle') ? q.get('forcePathStyle') === 'true' : !!endpointText,
      timeoutMs: Number(q.get('timeoutMs') ?? 30_000),
    });
  }

  /** URL of an object (key given) or of the bucket (key undefined). */
  private url(key?: string): URL {
    const e = this.o.endpoint;
    const base = e.pathname.replace(/\/+$/, '');
    const objectPath = key === undefined ? '' : (this.o.prefix + key).split('/').map(rfc3986).join('/');
    const u = new URL(e.toString());
    if (this.o.forcePathStyle) {
      u.pathname = `${base}/${rfc3986(this.o.bucket)}${key === undefined ? '' : '/' + objectPath}`;
    } else {
      u.host = `${this.o.bucket}.${e.host}`;
      u.pathname = `${base}/${objectPath}`;
    }
    return u;
  }

  /** Signs and sends one request (payload hash in x-amz-content-sha256, as S3 requires). */
  private async send(method: string, url: URL, body?: Buffer): Promise<Response> {
    const payloadHash = sha256hex(body ?? '');
    const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': payloadHash };
    if (this.o.sessionToken) headers['x-amz-security-token'] = this.o.sessionToken;
    if (body) headers['content-type'] = 'application/octet-stream';
    signV4({ method, url, headers, payloadHash }, this.o);
    // fetch sets Host itself, from the same URL that was signed.
    delete headers.host;
    // Buffers are never backed by a SharedArrayBuffer here; the cast only satisfies the DOM typings.
    return fetch(url, { method, headers, body: body as Uint8Array<ArrayBuffer> | undefined, signal: AbortSignal.timeout(this.o.timeoutMs) });
  }

  private async fail(res: Response, op: string): Promise<never> {
    const text = await res.text().catch(() => '');
    throw new S3Error(res.status, /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1], op);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const res = await this.send('PUT', this.url(key), bytes);
    if (!res.ok) await this.fail(res, 'PutObject');
    await res.arrayBuffer();
  }

  async get(key: string): Promise<Buffer | undefined> {
    const res = await this.send('GET', this.url(key));
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    if (!res.ok) await this.fail(res, 'GetObject');
    return Buffer.from(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.send('DELETE', this.url(key));
    // Deleting a missing object is not an error (S3 answers 204 anyway; some servers 404).
    if (!res.ok && res.status !== 404) await this.fail(res, 'DeleteObject');
    await res.arrayBuffer();
  }

  async check(): Promise<void> {
    const res = await this.send('HEAD', this.url());
    await res.arrayBuffer();
    if (!res.ok) throw new S3Error(res.status, undefined, 'HeadBucket');
  }
}
