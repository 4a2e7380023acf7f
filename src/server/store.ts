/**
 * The persistent core that both the server and the CLI open: the migrated database, the key ring from the
 * master key, tenants and the audit log. Kept free of HTTP and engines so CLI commands start fast.
 */
import type { Config } from '../config.js';
import { openAndMigrate, type DB } from '../storage/db.js';
import type { Dialect } from '../storage/migrations.js';
import { KeyRing, loadMasterKey } from '../crypto/keys.js';
import { TenantService } from '../tenants/service.js';
import { AuditLog } from '../audit/log.js';

export interface Store {
  config: Config;
  db: DB;
  dialect: Dialect;
  keyring: KeyRing;
  tenants: TenantService;
  audit: AuditLog;
  close(): Promise<void>;
}

export async function openStore(config: Config): Promise<Store> {
  const opened = await openAndMigrate(config.databaseUrl);
  let keyring: KeyRing;
  try {
    keyring = new KeyRing(loadMasterKey(config.masterKey, config.masterKeyFile));
  } catch (e) {
    await opened.close();
    throw e;
  }
  return {
    config,
    db: opened.db,
    dialect: opened.dialect,
    keyring,
    tenants: new TenantService(opened.db, keyring, Number(process.env.HAWIYA_AUTH_CACHE_MS ?? 2000)),
    audit: new AuditLog(opened.db),
    close: () => opened.close(),
  };
}
