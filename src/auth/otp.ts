/**
 * One-time passwords: 6 digits, 5-minute expiry, 5 attempts, stored as a keyed hash (never in clear).
 * A request is bound to its tenant, purpose and destination, so a code for one phone can't confirm another.
 */
import crypto from 'node:crypto';
import type { DB } from '../storage/db.js';
import { nowIso } from '../storage/db.js';
import type { Tenant } from '../tenants/service.js';
import { VlensError } from '../server/errors.js';
import type { OtpSender } from '../notify/otp-senders.js';

export const OTP_TTL_S = 300;
export const OTP_MAX_ATTEMPTS = 5;

export type OtpPurpose = 'register_phone' | 'register_email' | 'login_device';

export class OtpService {
  constructor(private readonly db: DB, private readonly sender: OtpSender) {}

  private codeHash(tenant: Tenant, id: string, code: string): string {
    return tenant.keys.lookup(`otp:${id}:${code}`);
  }

  /** Creates and sends an OTP; returns the request id and, for the caller to echo on non-production tenants, the code. */
  async issue(tenant: Tenant, purpose: OtpPurpose, target: string, channel: 'sms' | 'email'): Promise<{ id: string; code: string; expiresIn: number }> {
    const id = crypto.randomUUID();
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    await this.db.insertInto('otp_requests').values({
      id, tenant_id: tenant.id, purpose, target_lookup: tenant.keys.lookup(`${purpose}:${target}`),
      code_hash: this.codeHash(tenant, id, code), attempts: 0, max_attempts: OTP_MAX_ATTEMPTS,
      expires_at: nowIso(new Date(Date.now() + OTP_TTL_S * 1000)), validated_at: null, consumed_at: null, created_at: nowIso(),
    }).execute();
    await this.sender.send({ channel, to: target, code, purpose, tenantName: tenant.name, expiresInSeconds: OTP_TTL_S });
    return { id, code, expiresIn: OTP_TTL_S };
  }

  private async load(tenant: Tenant, id: string, purpose: OtpPurpose, target: string) {
    if (!/^[0-9a-fA-F-]{36}$/.test(id)) throw new VlensError(6002);
    const row = await this.db.selectFrom('otp_requests').selectAll()
      .where('id', '=', id.toLowerCase()).where('tenant_id', '=', tenant.id).executeTakeFirst();
    if (!row || row.purpose !== purpose || row.target_lookup !== tenant.keys.lookup(`${purpose}:${target}`)) throw new VlensError(6002);
    return row;
  }

  /** Checks a code; counts the attempt; locks the request after max attempts. Marks it validated on success. */
  async validate(tenant: Tenant, id: string, purpose: OtpPurpose, target: string, code: string): Promise<void> {
    const row = await this.load(tenant, id, purpose, target);
    if (row.consumed_at) throw new VlensError(6002);
    if (row.attempts >= row.max_attempts) throw new VlensError(6003);
    if (row.expires_at < nowIso()) throw new VlensError(6002);
    // Claim an attempt atomically before comparing: a concurrent burst of guesses can't exceed the limit.
    const claimed = await this.db.updateTable('otp_requests').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id).where((eb) => eb('attempts', '<', eb.ref('max_attempts')))
      .returning('attempts').executeTakeFirst();
    if (!claimed) throw new VlensError(6003);
    const good = /^\d{6}$/.test(code) && crypto.timingSafeEqual(
      Buffer.from(this.codeHash(tenant, row.id, code)), Buffer.from(row.code_hash));
    if (!good) {
      if (Number(claimed.attempts) >= row.max_attempts) throw new VlensError(6003);
      throw new VlensError(6002);
    }
    // The right code does not use up an attempt: give it back, and mark the request validated.
    await this.db.updateTable('otp_requests')
      .set((eb) => ({ attempts: eb('attempts', '-', 1), ...(row.validated_at ? {} : { validated_at: nowIso() }) }))
      .where('id', '=', row.id).execute();
  }

  /** True when the request was validated (and not yet used) for this destination. */
  async isValidated(tenant: Tenant, id: string, purpose: OtpPurpose, target: string): Promise<boolean> {
    try {
      const row = await this.load(tenant, id, purpose, target);
      return !!row.validated_at && !row.consumed_at && row.attempts < row.max_attempts;
    } catch {
      return false;
    }
  }

  async consume(tenant: Tenant, id: string): Promise<void> {
    await this.db.updateTable('otp_requests').set({ consumed_at: nowIso() }).where('id', '=', id.toLowerCase()).where('tenant_id', '=', tenant.id).execute();
  }
}
