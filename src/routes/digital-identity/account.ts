/**
 * /api/DigitalIdentity registration, login and session endpoints (spec §6.4–6.5, §8.1–8.6, §8.14).
 * Responses use the `ApiOutputRegister` shape; OTPs are echoed only for non-production tenants.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Hawiya } from '../../server/context.js';
import type { Tenant } from '../../tenants/service.js';
import { ok } from '../../server/envelope.js';
import { VlensError } from '../../server/errors.js';
import { FailureCounter } from '../../server/rate-limit.js';
import { dummyHash, hashPassword, verifyPassword } from '../../auth/passwords.js';
import { OTP_TTL_S } from '../../auth/otp.js';
import { nowIso } from '../../storage/db.js';
import { requireEmail, requirePhone, type UserRow } from '../../users/service.js';
import { refresh, refreshRouteOptions } from '../credentials.js';
import { bool, geoLocation, nullableStr, str, uuid } from '../schemas.js';

export const USER_MAX_FAILURES = 5;
const LOCK_MS = 15 * 60_000;
const TAG = 'Digital Identity — account';

/** Base of every ApiOutputRegister response. */
function registerOutput(tenant: Tenant, extra: Record<string, unknown>) {
  return {
    isEmailConfirmationRequired: tenant.settings.requireEmailVerification,
    isEmailConfirmed: false,
    isPhoneNumberConfirmationRequired: true,
    isPhoneNumberConfirmed: false,
    phoneNumberOtp: null,
    phoneNumberOtpRequestId: null,
    emailOtpRequestId: null,
    phoneOtpExpireInSeconds: null,
    emailOtpExpireInSeconds: null,
    isDigitalIdentityVerified: false,
    hasPendingRequest: false,
    accessToken: null,
    refreshToken: null,
    encryptedAccessToken: null,
    expireInSeconds: null,
    userName: null,
    userFullName: null,
    user: null,
    redirectUri: null,
    transactionId: null,
    ...extra,
  };
}

const passwordPolicy = (pw: string) => {
  if (pw.length < 8 || pw.length > 32) {
    throw new VlensError(400, 'password must be 8–32 characters.', 400, [{ field: 'password', message: 'length 8–32' }]);
  }
};

export async function accountRoutes(app: FastifyInstance, ctx: Hawiya) {
  const unknownLoginFailures = new FailureCounter(USER_MAX_FAILURES, LOCK_MS);

  async function sessionFor(tenant: Tenant, user: UserRow, familyExtra: Record<string, unknown> = {}) {
    const tokens = await ctx.tokens.issue({ sub: user.id, typ: 'user', tid: tenant.id });
    const dto = ctx.users.toDto(tenant, user);
    const latest = await ctx.db.selectFrom('transactions').select('id').where('tenant_id', '=', tenant.id)
      .where('user_id', '=', user.id).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return registerOutput(tenant, {
      isEmailConfirmed: user.is_email_confirmed === 1,
      isEmailConfirmationRequired: tenant.settings.requireEmailVerification && user.is_email_confirmed !== 1,
      isPhoneNumberConfirmationRequired: false,
      isPhoneNumberConfirmed: user.is_phone_confirmed === 1,
      isDigitalIdentityVerified: user.is_identity_verified === 1,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      encryptedAccessToken: tokens.encryptedAccessToken,
      expireInSeconds: tokens.expireInSeconds,
      refreshTokenExpireInSeconds: tokens.refreshTokenExpireInSeconds,
      userName: dto.userName,
      userFullName: dto.fullName,
      user: dto,
      transactionId: latest?.id ?? null,
      ...familyExtra,
    });
  }

  app.post('/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', {
    config: { auth: 'key' },
    schema: { tags: [TAG], summary: 'Is a phone number or email already registered in this tenant?', body: { type: 'object', properties: { phoneNumber: nullableStr(32), email: nullableStr(256) } } },
  }, async (req, reply) => {
    const b = (req.body ?? {}) as { phoneNumber?: string | null; email?: string | null };
    if (!b.phoneNumber && !b.email) throw new VlensError(400, 'Send phoneNumber or email.', 400);
    const t = req.tenant!;
    const isPhoneNumberExists = b.phoneNumber ? !!(await ctx.users.findByPhone(t, requirePhone(b.phoneNumber))) : false;
    const isEmailExists = b.email ? !!(await ctx.users.findByEmail(t, requireEmail(b.email))) : false;
    return ok(reply, { exists: isPhoneNumberExists || isEmailExists, isPhoneNumberExists, isEmailExists });
  });

  app.post('/api/DigitalIdentity/Register/StepVerifyPhone', {
    config: { auth: 'key' },
    schema: {
      tags: [TAG], summary: 'Send (phoneNumber) or validate (phoneNumber, phoneNumberOtpRequestId, phoneNumberOtp) the phone OTP',
      body: { type: 'object', required: ['phoneNumber'], properties: { phoneNumber: str(32), smsProviders: { type: ['integer', 'null'] }, phoneNumberOtpRequestId: uuid, phoneNumberOtp: nullableStr(16), transactionId: uuid } },
    },
  }, async (req, reply) => {
    const b = req.body as { phoneNumber: string; phoneNumberOtpRequestId?: string | null; phoneNumberOtp?: string | null };
    const t = req.tenant!;
    const phone = requirePhone(b.phoneNumber);
    if (await ctx.users.findByPhone(t, phone)) throw new VlensError(6001);
    if (b.phoneNumberOtpRequestId || b.phoneNumberOtp) {
      if (!b.phoneNumberOtpRequestId || !b.phoneNumberOtp) throw new VlensError(400, 'Send both phoneNumberOtpRequestId and phoneNumberOtp to validate.', 400);
      await ctx.otp.validate(t, b.phoneNumberOtpRequestId, 'register_phone', phone, b.phoneNumberOtp);
      return ok(reply, registerOutput(t, { isPhoneNumberConfirmationRequired: false, isPhoneNumberConfirmed: true, phoneNumberOtpRequestId: b.phoneNumberOtpRequestId.toLowerCase() }));
    }
    const otp = await ctx.otp.issue(t, 'register_phone', phone, 'sms');
    return ok(reply, registerOutput(t, {
      phoneNumberOtpRequestId: otp.id, phoneOtpExpireInSeconds: otp.expiresIn, phoneNumberOtp: t.settings.production ? null : otp.code,
    }));
  });

  app.post('/api/DigitalIdentity/Register/StepVerifyEmail', {
    config: { auth: 'key' },
    schema: {
      tags: [TAG], summary: 'Send (email) or validate (email, emailOtpRequestId, emailOtp) the email OTP',
      body: { type: 'object', required: ['email'], properties: { email: str(256), emailOtpRequestId: uuid, emailOtp: nullableStr(16), transactionId: uuid } },
    },
  }, async (req, reply) => {
    const b = req.body as { email: string; emailOtpRequestId?: string | null; emailOtp?: string | null };
    const t = req.tenant!;
    const email = requireEmail(b.email);
    if (await ctx.users.findByEmail(t, email)) throw new VlensError(6001);
    if (b.emailOtpRequestId || b.emailOtp) {
      if (!b.emailOtpRequestId || !b.emailOtp) throw new VlensError(400, 'Send both emailOtpRequestId and emailOtp to validate.', 400);
      await ctx.otp.validate(t, b.emailOtpRequestId, 'register_email', email, b.emailOtp);
      return ok(reply, registerOutput(t, { isEmailConfirmed: true, emailOtpRequestId: b.emailOtpRequestId.toLowerCase() }));
    }
    const otp = await ctx.otp.issue(t, 'register_email', email, 'email');
    return ok(reply, registerOutput(t, { emailOtpRequestId: otp.id, emailOtpExpireInSeconds: otp.expiresIn, emailOtp: t.settings.production ? null : otp.code }));
  });

  const registerSchema = {
    config: { auth: 'key' as const },
    schema: {
      tags: [TAG], summary: 'Create the account after phone (and, if required, email) verification; returns a user token',
      body: {
        type: 'object', required: ['phoneNumber', 'phoneNumberOtpRequestId'],
        properties: {
          phoneNumber: str(32), email: nullableStr(256), password: nullableStr(32), phoneNumberOtp: nullableStr(16),
          phoneNumberOtpRequestId: { type: 'string', maxLength: 64 }, emailOtpRequestId: uuid, oAuthTokenVerificationRequestId: uuid,
          geoLocation, imei: nullableStr(128), imsi: nullableStr(128), transactionId: uuid,
        },
      },
    },
  };
  const register = async (req: FastifyRequest) => {
    const b = req.body as { phoneNumber: string; email?: string | null; password?: string | null; phoneNumberOtpRequestId: string; emailOtpRequestId?: string | null; imei?: string | null; imsi?: string | null; geoLocation?: unknown };
    const t = req.tenant!;
    const phone = requirePhone(b.phoneNumber);
    const email = b.email ? requireEmail(b.email) : undefined;
    if (b.password) passwordPolicy(b.password);
    if (!(await ctx.otp.isValidated(t, b.phoneNumberOtpRequestId, 'register_phone', phone))) throw new VlensError(6004);
    let emailConfirmed = false;
    if (email && b.emailOtpRequestId) {
      emailConfirmed = await ctx.otp.isValidated(t, b.emailOtpRequestId, 'register_email', email);
      if (!emailConfirmed) throw new VlensError(6005);
    }
    if (t.settings.requireEmailVerification && !emailConfirmed) throw new VlensError(6005);
    if (await ctx.users.findByPhone(t, phone)) throw new VlensError(6001);
    if (email && (await ctx.users.findByEmail(t, email))) throw new VlensError(6001);
    let user: UserRow;
    try {
      user = await ctx.users.create(t, { phone, email, emailConfirmed, passwordHash: b.password ? await hashPassword(b.password) : null });
    } catch {
      throw new VlensError(6001); // unique index: a concurrent registration of the same phone won
    }
    await ctx.otp.consume(t, b.phoneNumberOtpRequestId);
    if (email && b.emailOtpRequestId) await ctx.otp.consume(t, b.emailOtpRequestId);
    if (b.imei) await ctx.users.rememberDevice(t, user.id, { imei: b.imei, imsi: b.imsi, geoLocation: b.geoLocation });
    await ctx.audit.record({ tenantId: t.id, actorType: 'user', actorId: user.id, action: 'user.register', requestId: req.id, ip: req.ip });
    return sessionFor(t, user);
  };
  app.post('/api/DigitalIdentity/Register', registerSchema, async (req, reply) => ok(reply, await register(req)));
  app.post('/api/DigitalIdentity/Register/StepCreate', registerSchema, async (req, reply) => ok(reply, await register(req)));

  app.post('/api/DigitalIdentity/Login', {
    config: { auth: 'key' },
    schema: {
      tags: [TAG], summary: 'End-user login; a new device must confirm a phone OTP first',
      body: {
        type: 'object', required: ['phoneNumber'],
        properties: {
          phoneNumber: str(32), password: nullableStr(32), imei: nullableStr(128), imsi: nullableStr(128), geoLocation,
          phoneNumberOtpRequestId: uuid, phoneNumberOtp: nullableStr(16), isPhone2FAEnabled: bool,
          smsProvider: { type: ['integer', 'null'] }, smsProviders: { type: ['integer', 'null'] },
        },
      },
    },
  }, async (req, reply) => {
    const b = req.body as { phoneNumber: string; password?: string | null; imei?: string | null; imsi?: string | null; geoLocation?: unknown; phoneNumberOtpRequestId?: string | null; phoneNumberOtp?: string | null };
    const t = req.tenant!;
    const phone = requirePhone(b.phoneNumber);
    const failKey = `${t.id}:${phone}`;
    if (unknownLoginFailures.isLocked(failKey)) throw new VlensError(401, 'Account temporarily locked after too many failed attempts.');
    const user = await ctx.users.findByPhone(t, phone);
    if (!user) {
      await verifyPassword(b.password ?? '', await dummyHash());
      unknownLoginFailures.fail(failKey);
      throw new VlensError(401, 'Invalid phone number or password.');
    }
    if (user.locked_until && user.locked_until > nowIso()) throw new VlensError(401, 'Account temporarily locked after too many failed attempts.');
    const usesOtp = !!(b.phoneNumberOtpRequestId && b.phoneNumberOtp);
    if (user.password_hash) {
      // Claim one of the allowed attempts atomically before hashing: a concurrent burst of guesses can't all be judged.
      const claimed = await ctx.db.updateTable('users').set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id).where('failed_logins', '<', USER_MAX_FAILURES)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso())]))
        .returning('failed_logins').executeTakeFirst();
      if (!claimed) throw new VlensError(401, 'Account temporarily locked after too many failed attempts.');
      if (!b.password || !(await verifyPassword(b.password, user.password_hash))) {
        const lock = Number(claimed.failed_logins) >= USER_MAX_FAILURES ? nowIso(new Date(Date.now() + LOCK_MS)) : null;
        if (lock) {
          await ctx.db.updateTable('users').set({ failed_logins: 0, locked_until: lock }).where('id', '=', user.id).execute();
          await ctx.audit.record({ tenantId: t.id, actorType: 'user', actorId: user.id, action: 'user.login.locked', requestId: req.id, ip: req.ip });
        }
        throw new VlensError(401, 'Invalid phone number or password.');
      }
      // The right password: give the claimed attempt back (the counter resets once the login completes).
      await ctx.db.updateTable('users').set((eb) => ({ failed_logins: eb('failed_logins', '-', 1) })).where('id', '=', user.id).where('failed_logins', '>', 0).execute();
    }
    const device = b.imei ?? '';
    const knownDevice = device !== '' && (await ctx.users.hasDevice(t, user.id, device));
    // Accounts without a password always log in with an OTP; unknown devices confirm one first (spec §8.1).
    if (!knownDevice || !user.password_hash) {
      if (!usesOtp) {
        const otp = await ctx.otp.issue(t, 'login_device', phone, 'sms');
        return ok(reply, registerOutput(t, {
          isPhoneNumberConfirmed: true, isPhoneNumberConfirmationRequired: true,
          phoneNumberOtpRequestId: otp.id, phoneOtpExpireInSeconds: OTP_TTL_S, phoneNumberOtp: t.settings.production ? null : otp.code,
          isDigitalIdentityVerified: user.is_identity_verified === 1,
        }));
      }
      await ctx.otp.validate(t, b.phoneNumberOtpRequestId!, 'login_device', phone, b.phoneNumberOtp!);
      await ctx.otp.consume(t, b.phoneNumberOtpRequestId!);
    }
    if (device) await ctx.users.rememberDevice(t, user.id, { imei: device, imsi: b.imsi, geoLocation: b.geoLocation });
    await ctx.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    return ok(reply, await sessionFor(t, user));
  });

  app.post('/api/DigitalIdentity/RefreshToken', refreshRouteOptions(TAG), async (req, reply) => ok(reply, await refresh(ctx, req)));

  app.post('/api/DigitalIdentity/CancelVerifiedDigitalIdentity', {
    config: { auth: 'user' },
    schema: { tags: [TAG], summary: "Cancel the caller's verified digital identity" },
  }, async (req, reply) => {
    const t = req.tenant!;
    const user = await ctx.users.get(t, req.principal!.id);
    if (!user) throw new VlensError(401, 'Unknown user.');
    if (user.is_identity_verified !== 1) throw new VlensError(6009);
    await ctx.users.setVerified(t, user.id, null, null, false);
    if (user.verified_transaction_id) {
      await ctx.db.updateTable('transactions').set({ status: 'cancelled', is_verified: 0, updated_at: nowIso() })
        .where('id', '=', user.verified_transaction_id).where('tenant_id', '=', t.id).execute();
    }
    await ctx.audit.record({ tenantId: t.id, actorType: 'user', actorId: user.id, action: 'identity.cancel', target: user.verified_transaction_id, requestId: req.id, ip: req.ip });
    return ok(reply, true);
  });
}
