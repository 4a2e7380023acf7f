/**
 * Tenants, their API keys and admin users. API keys are random 256-bit secrets shown once and stored as
 * SHA-256 hashes (a fast hash is right for high-entropy secrets); admin passwords use scrypt.
 */
import crypto from 'node:crypto';
import type { DB } from '../storage/db.js';
import { nowIso } from '../storage/db.js';
import type { KeyRing, TenantKeys } from '../crypto/keys.js';
import { hashPassword, sha256 } from '../auth/passwords.js';
import { DEFAULT_SETTINGS, mergeSettings, parseSettings, type TenantSettings } from './settings.js';

export interface Tenant {
  id: number;
  name: string;
  displayName: string;
  settings: TenantSettings;
  isActive: boolean;
  keys: TenantKeys;
}

export const HOST_TENANCY_NAME = 'Host';
export const ALL_PERMISSIONS = ['Requests', 'Transactions', 'Users', 'Settings', 'AuditLog'] as const;

const TENANT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class TenantService {
  private readonly byId = new Map<number, { tenant: Tenant; at: number }>();
  private readonly keyCache = new Map<string, { tenantId: number; keyId: string; at: number }>();

  constructor(private readonly db: DB, private readonly keyring: KeyRing, private readonly cacheMs = 2000) {}

  private toTenant(row: { id: number; name: string; display_name: string; settings: string; is_active: number; wrapped_dek: string | null }): Tenant {
    return {
      id: row.id,
      name: row.name,
      displayName: row.display_name,
      settings: parseSettings(row.settings),
      isActive: row.is_active === 1,
      keys: this.keyring.tenant(row.id, row.wrapped_dek!),
    };
  }

  async create(name: string, opts: { displayName?: string; settings?: Record<string, unknown> } = {}): Promise<Tenant> {
    if (!TENANT_NAME_RE.test(name) || name.toLowerCase() === HOST_TENANCY_NAME.toLowerCase()) {
      throw new Error(`invalid tenant name "${name}" (letters, digits, . _ -; "Host" is reserved)`);
    }
    const settings = mergeSettings(DEFAULT_SETTINGS, opts.settings ?? {});
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('tenants').values({
        name, display_name: opts.displayName ?? name, settings: JSON.stringify(settings), is_active: 1,
        wrapped_dek: null, created_at: nowIso(),
      }).returning('id').executeTakeFirstOrThrow();
      await trx.updateTable('tenants').set({ wrapped_dek: this.keyring.newWrappedDataKey(row.id) }).where('id', '=', row.id).execute();
      return row.id;
    });
    return (await this.get(id))!;
  }

  async get(id: number): Promise<Tenant | undefined> {
    const hit = this.byId.get(id);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.tenant;
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const tenant = this.toTenant(row);
    this.byId.set(id, { tenant, at: Date.now() });
    return tenant;
  }

  async getByName(name: string): Promise<Tenant | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? this.toTenant(row) : undefined;
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('id').execute();
    return rows.map((r) => this.toTenant(r));
  }

  async update(id: number, patch: { displayName?: string; isActive?: boolean; settings?: Record<string, unknown> }): Promise<Tenant> {
    const t = await this.get(id);
    if (!t) throw new Error(`tenant ${id} not found`);
    await this.db.updateTable('tenants').set({
      display_name: patch.displayName ?? t.displayName,
      is_active: patch.isActive === undefined ? (t.isActive ? 1 : 0) : patch.isActive ? 1 : 0,
      settings: JSON.stringify(mergeSettings(t.settings, patch.settings ?? {})),
    }).where('id', '=', id).execute();
    this.byId.delete(id);
    return (await this.get(id))!;
  }

  /** Creates an API key; the clear key is returned once and never stored. `clearKey` lets automation pin it. */
  async createApiKey(tenantId: number, name = 'default', clearKey?: string): Promise<{ id: string; key: string }> {
    const key = clearKey ?? `hwk_${crypto.randomBytes(32).toString('base64url')}`;
    if (key.length < 16 || key.length > 256) throw new Error('API key must be 16–256 characters');
    const id = crypto.randomUUID();
    await this.db.insertInto('api_keys').values({
      id, tenant_id: tenantId, name, prefix: key.slice(0, 10), key_hash: sha256(key), created_at: nowIso(),
      revoked_at: null, last_used_at: null,
    }).execute();
    return { id, key };
  }

  async listApiKeys(tenantId: number) {
    return this.db.selectFrom('api_keys').select(['id', 'name', 'prefix', 'created_at', 'revoked_at', 'last_used_at'])
      .where('tenant_id', '=', tenantId).orderBy('created_at').execute();
  }

  async revokeApiKey(keyId: string): Promise<boolean> {
    const r = await this.db.updateTable('api_keys').set({ revoked_at: nowIso() })
      .where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
    this.keyCache.clear();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Resolves an ApiKey header to its active tenant, or undefined. Cached briefly: revocation applies within cacheMs. */
  async authenticateApiKey(key: string): Promise<{ tenant: Tenant; keyId: string } | undefined> {
    if (!key || key.length > 256) return undefined;
    const hash = sha256(key);
    let hit = this.keyCache.get(hash);
    if (!hit || Date.now() - hit.at >= this.cacheMs) {
      const row = await this.db.selectFrom('api_keys').select(['id', 'tenant_id'])
        .where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
      if (!row) {
        this.keyCache.delete(hash);
        return undefined;
      }
      hit = { tenantId: row.tenant_id, keyId: row.id, at: Date.now() };
      this.keyCache.set(hash, hit);
    }
    const tenant = await this.get(hit.tenantId);
    if (!tenant || !tenant.isActive) return undefined;
    return { tenant, keyId: hit.keyId };
  }

  async createAdmin(tenantId: number | null, userName: string, password: string, permissions: readonly string[] = ALL_PERMISSIONS, email?: string) {
    if (!userName || userName.length > 256) throw new Error('invalid admin user name');
    if (password.length < 8 || password.length > 32) throw new Error('admin password must be 8–32 characters');
    const row = await this.db.insertInto('admin_users').values({
      tenant_id: tenantId, user_name: userName, email: email ?? null, password_hash: await hashPassword(password),
      permissions: JSON.stringify(permissions), failed_logins: 0, locked_until: null, is_active: 1, created_at: nowIso(),
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }
}
