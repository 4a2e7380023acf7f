/**
 * Admin reads of stored verification images (spec §8.12–8.13). Every read is audited with the admin, tenant,
 * transaction, file and the caller's LogId; host admins may act on another tenant via ImpersonatedTenantId.
 */
import type { FastifyInstance } from 'fastify';
import type { Hawiya } from '../../server/context.js';
import { ok } from '../../server/envelope.js';
import { VlensError } from '../../server/errors.js';
import { actingTenant } from '../../auth/guard.js';
import { TransactionService } from '../../verification/transactions.js';
import { LIVENESS_BEST_FILE, LIVENESS_FILES } from '../../verification/flow.js';
import { normalizeEmail, normalizePhone } from '../../users/service.js';
import { nullableStr, str } from '../schemas.js';

const TAG = 'Digital Identity — admin images';

export async function imageRoutes(app: FastifyInstance, ctx: Hawiya) {
  const txs = new TransactionService(ctx);

  app.get('/api/DigitalIdentity/GetUserDigitalIdentityImages', {
    config: { auth: 'admin', permission: 'Requests' },
    schema: {
      tags: [TAG], summary: "File names of a user's verification images (latest or verified transaction)",
      querystring: { type: 'object', properties: { emailOrPhoneNumber: nullableStr(256), TransactionId: nullableStr(64), ImpersonatedTenantId: { type: 'integer' }, LogId: nullableStr(256) } },
    },
  }, async (req, reply) => {
    const q = req.query as { emailOrPhoneNumber?: string; TransactionId?: string; ImpersonatedTenantId?: number; LogId?: string };
    const tenant = await actingTenant(ctx, req, q.ImpersonatedTenantId);
    let txId: string | undefined;
    if (q.emailOrPhoneNumber) {
      const email = q.emailOrPhoneNumber.includes('@') ? normalizeEmail(q.emailOrPhoneNumber) : undefined;
      const phone = email ? undefined : normalizePhone(q.emailOrPhoneNumber);
      const user = email ? await ctx.users.findByEmail(tenant, email) : phone ? await ctx.users.findByPhone(tenant, phone) : undefined;
      if (!user) throw new VlensError(404, 'No user with this email or phone number.');
      txId = user.verified_transaction_id ?? (await ctx.db.selectFrom('transactions').select('id').where('tenant_id', '=', tenant.id)
        .where('user_id', '=', user.id).orderBy('created_at', 'desc').limit(1).executeTakeFirst())?.id;
    } else if (q.TransactionId) {
      txId = (await txs.get(tenant, q.TransactionId))?.id;
    } else {
      throw new VlensError(400, 'Send emailOrPhoneNumber (or TransactionId).', 400);
    }
    if (!txId) throw new VlensError(404, 'No verification transaction found.');
    const steps = await txs.steps(tenant, txId);
    const has = (step: 'id_front' | 'id_back' | 'liveness', file: string) => (steps.get(step)?.images[file] ? file : null);
    await ctx.audit.record({ tenantId: tenant.id, actorType: req.principal!.isHost ? 'host' : 'admin', actorId: req.principal!.id, action: 'images.list', target: txId, logId: q.LogId, requestId: req.id, ip: req.ip });
    return ok(reply, {
      transactionId: txId,
      idFrontImage: has('id_front', 'id_front.jpg'),
      idBackImage: has('id_back', 'id_back.jpg'),
      livenessImage: has('liveness', LIVENESS_BEST_FILE),
      livenessFace01Image: has('liveness', LIVENESS_FILES[0]),
      livenessFace02Image: has('liveness', LIVENESS_FILES[1]),
      livenessFace03Image: has('liveness', LIVENESS_FILES[2]),
      idFrontCardImage: has('id_front', 'id_front_card.jpg'),
      idBackCardImage: has('id_back', 'id_back_card.jpg'),
    });
  });

  app.get('/api/DigitalIdentity/GetStepImage', {
    config: { auth: 'admin', permission: 'Requests' },
    schema: {
      tags: [TAG], summary: 'One stored verification image as base64 (audited)',
      querystring: { type: 'object', required: ['TransactionId', 'FileName'], properties: { TransactionId: str(64), FileName: str(128), ImpersonatedTenantId: { type: 'integer' }, LogId: nullableStr(256) } },
    },
  }, async (req, reply) => {
    const q = req.query as { TransactionId: string; FileName: string; ImpersonatedTenantId?: number; LogId?: string };
    const tenant = await actingTenant(ctx, req, q.ImpersonatedTenantId);
    const tx = await txs.get(tenant, q.TransactionId);
    if (!tx) throw new VlensError(5004);
    const steps = await txs.steps(tenant, tx.id);
    const key = [...steps.values()].map((s) => s.images[q.FileName]).find(Boolean);
    if (!key) throw new VlensError(404, 'No such image in this transaction.');
    const bytes = await ctx.blobs.get(tenant.keys, key);
    if (!bytes) throw new VlensError(404, 'The image is no longer stored.');
    await ctx.audit.record({
      tenantId: tenant.id, actorType: req.principal!.isHost ? 'host' : 'admin', actorId: req.principal!.id, action: 'images.read',
      target: `${tx.id}/${q.FileName}`, logId: q.LogId, requestId: req.id, ip: req.ip,
      details: q.ImpersonatedTenantId !== undefined ? { impersonatedTenantId: q.ImpersonatedTenantId } : undefined,
    });
    return ok(reply, { image: bytes.toString('base64'), fileName: q.FileName, transactionId: tx.id });
  });
}
