/**
 * Everything a route needs, built once at start and passed explicitly (no globals).
 */
import type { Config } from '../config.js';
import type { DB } from '../storage/db.js';
import type { Dialect } from '../storage/migrations.js';
import type { KeyRing } from '../crypto/keys.js';
import type { TenantService } from '../tenants/service.js';
import type { TokenService } from '../auth/tokens.js';
import type { AuditLog } from '../audit/log.js';
import type { BlobStore } from '../storage/blobs/store.js';
import type { OtpService } from '../auth/otp.js';
import type { Engines } from '../verification/engines.js';
import type { UserService } from '../users/service.js';

export interface Hawiya {
  config: Config;
  db: DB;
  dialect: Dialect;
  keyring: KeyRing;
  tenants: TenantService;
  tokens: TokenService;
  audit: AuditLog;
  blobs: BlobStore;
  otp: OtpService;
  users: UserService;
  engines: Engines;
  close(): Promise<void>;
}
