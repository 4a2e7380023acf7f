/**
 * End users of a tenant. Phone and email are personal data: stored sealed, found through keyed lookups.
 */
import type { DB } from '../storage/db.js';
import { nowIso } from '../storage/db.js';
import type { Tenant } from '../tenants/service.js';
import type { UsersTable } from '../storage/schema.js';
import type { Selectable } from 'kysely';
import { VlensError } from '../server/errors.js';

export type UserRow = Selectable<UsersTable>;

export interface UserProfile {
  name?: string | null;
  surname?: string | null;
  fullName?: string | null;
  idNumber?: string | null;
  address?: string | null;
}

/** The Vlens User object (spec §6.5). */
export interface UserDto {
  id: number;
  name: string | null;
  surname: string | null;
  fullName: string | null;
  userName: string;
  emailAddress: string | null;
  phoneNumber: string;
  idNumber: string | null;
  address: string | null;
}

/** Normalises to E.164. Egyptian local numbers (01xxxxxxxxx) get +20. Returns undefined when not a phone. */
export function normalizePhone(input: string): string | undefined {
  let s = input.replace(/[\s\-().]/g, '');
  s = s.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660));
  if (s.startsWith('00')) s = '+' + s.slice(2);
  if (/^01\d{9}$/.test(s)) s = '+20' + s.slice(1);
  return /^\+[1-9]\d{7,14}$/.test(s) ? s : undefined;
}

export function normalizeEmail(input: string): string | undefined {
  const s = input.trim().toLowerCase();
  return s.length <= 256 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? s : undefined;
}

export function requirePhone(input: string | null | undefined): string {
  const p = input ? normalizePhone(input) : undefined;
  if (!p) throw new VlensError(400, 'phoneNumber must be a phone number in international format, e.g. +201234567890.', 400, [{ field: 'phoneNumber', message: 'invalid phone number' }]);
  return p;
}

export function requireEmail(input: string | null | undefined): string {
  const e = input ? normalizeEmail(input) : undefined;
  if (!e) throw new VlensError(400, 'email must be a valid email address.', 400, [{ field: 'email', message: 'invalid email' }]);
  return e;
}

export class UserService {
  constructor(private readonly db: DB) {}

  findByPhone(tenant: Tenant, phone: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenant.id)
      .where('phone_lookup', '=', tenant.keys.lookup(`phone:${phone}`)).executeTakeFirst();
  }

  findByEmail(tenant: Tenant, email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenant.id)
      .where('email_lookup', '=', tenant.keys.lookup(`email:${email}`)).executeTakeFirst();
  }

  get(tenant: Tenant, id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenant.id).where('id', '=', id).executeTakeFirst();
  }

  async create(tenant: Tenant, u: { phone: string; email?: string; emailConfirmed: boolean; passwordHash: string | null }): Promise<UserRow> {
    const row = await this.db.insertInto('users').values({
      tenant_id: tenant.id,
      phone_lookup: tenant.keys.lookup(`phone:${u.phone}`),
      phone_enc: tenant.keys.encryptText(u.phone, 'user.phone'),
      email_lookup: u.email ? tenant.keys.lookup(`email:${u.email}`) : null,
      email_enc: u.email ? tenant.keys.encryptText(u.email, 'user.email') : null,
      password_hash: u.passwordHash,
      is_phone_confirmed: 1,
      is_email_confirmed: u.emailConfirmed ? 1 : 0,
      profile_enc: null,
      is_identity_verified: 0,
      verified_transaction_id: null,
      failed_logins: 0,
      locked_until: null,
      created_at: nowIso(),
    }).returningAll().executeTakeFirstOrThrow();
    return row;
  }

  profile(tenant: Tenant, row: UserRow): UserProfile {
    return row.profile_enc ? tenant.keys.decryptJson<UserProfile>(row.profile_enc, 'user.profile') : {};
  }

  async setVerified(tenant: Tenant, userId: number, profile: UserProfile | null, transactionId: string | null, verified: boolean) {
    await this.db.updateTable('users').set({
      is_identity_verified: verified ? 1 : 0,
      verified_transaction_id: transactionId,
      ...(profile ? { profile_enc: tenant.keys.encryptJson(profile, 'user.profile') } : {}),
    }).where('tenant_id', '=', tenant.id).where('id', '=', userId).execute();
  }

  toDto(tenant: Tenant, row: UserRow): UserDto {
    const phone = tenant.keys.decryptText(row.phone_enc, 'user.phone');
    const p = this.profile(tenant, row);
    return {
      id: row.id,
      name: p.name ?? null,
      surname: p.surname ?? null,
      fullName: p.fullName ?? null,
      userName: phone,
      emailAddress: row.email_enc ? tenant.keys.decryptText(row.email_enc, 'user.email') : null,
      phoneNumber: phone,
      idNumber: p.idNumber ?? null,
      address: p.address ?? null,
    };
  }

  /** Known device? Devices are identified by a keyed hash of the IMEI/vendor id the SDK sends. */
  async hasDevice(tenant: Tenant, userId: number, imei: string): Promise<boolean> {
    const row = await this.db.selectFrom('user_devices').select('id').where('user_id', '=', userId)
      .where('device_lookup', '=', tenant.keys.lookup(`device:${imei}`)).executeTakeFirst();
    return !!row;
  }

  async rememberDevice(tenant: Tenant, userId: number, device: { imei: string; imsi?: string | null; geoLocation?: unknown }) {
    const lookup = tenant.keys.lookup(`device:${device.imei}`);
    const info = tenant.keys.encryptJson(device, 'user.device');
    const existing = await this.db.selectFrom('user_devices').select('id').where('user_id', '=', userId).where('device_lookup', '=', lookup).executeTakeFirst();
    if (existing) {
      await this.db.updateTable('user_devices').set({ last_seen_at: nowIso(), info_enc: info }).where('id', '=', existing.id).execute();
    } else {
      await this.db.insertInto('user_devices').values({ tenant_id: tenant.id, user_id: userId, device_lookup: lookup, info_enc: info, created_at: nowIso(), last_seen_at: nowIso() }).execute();
    }
  }
}
