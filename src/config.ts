/**
 * Runtime configuration from the environment, with embedded defaults that need nothing installed:
 * a SQLite file and a local encrypted blob directory under ./data.
 */
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:<file>` or `postgres://…` */
  databaseUrl: string;
  /** `file:<dir>` or `s3://bucket?endpoint=…&region=…&accessKeyId=…&secretAccessKey=…` */
  blobUrl: string;
  masterKey?: string;
  masterKeyFile: string;
  logLevel: string;
  /** Otp delivery: `console` (default) or `http` with HAWIYA_OTP_HTTP_URL. */
  otpProvider: 'console' | 'http';
  otpHttpUrl?: string;
  otpHttpToken?: string;
  bootstrap: {
    tenant?: string;
    apiKey?: string;
    adminUser?: string;
    adminPassword?: string;
  };
  /** Host (super) admin credentials for tenant management through ImpersonatedTenantId. */
  trustProxy: boolean;
  /** Whether to load the document and face engines at start (tests of the foundation may skip them). */
  engines: boolean;
}

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env('HAWIYA_DATA_DIR') ?? './data');
  const cfg: Config = {
    port: Number(env('PORT') ?? 8080),
    host: env('HOST') ?? '0.0.0.0',
    dataDir,
    databaseUrl: env('DATABASE_URL') ?? `sqlite:${path.join(dataDir, 'hawiya.db')}`,
    blobUrl: env('HAWIYA_BLOB_URL') ?? `file:${path.join(dataDir, 'blobs')}`,
    masterKey: env('HAWIYA_MASTER_KEY'),
    masterKeyFile: env('HAWIYA_MASTER_KEY_FILE') ?? path.join(dataDir, 'master.key'),
    logLevel: env('LOG_LEVEL') ?? 'info',
    otpProvider: (env('HAWIYA_OTP_PROVIDER') as 'console' | 'http' | undefined) ?? 'console',
    otpHttpUrl: env('HAWIYA_OTP_HTTP_URL'),
    otpHttpToken: env('HAWIYA_OTP_HTTP_TOKEN'),
    bootstrap: {
      tenant: env('HAWIYA_BOOTSTRAP_TENANT'),
      apiKey: env('HAWIYA_BOOTSTRAP_API_KEY'),
      adminUser: env('HAWIYA_BOOTSTRAP_ADMIN_USER'),
      adminPassword: env('HAWIYA_BOOTSTRAP_ADMIN_PASSWORD'),
    },
    trustProxy: env('HAWIYA_TRUST_PROXY') === 'true',
    engines: env('HAWIYA_ENGINES') !== 'off',
    ...overrides,
  };
  return cfg;
}
