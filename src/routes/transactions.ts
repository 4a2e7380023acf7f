/**
 * /api/Transactions — admin view of one verification transaction (spec §8.15), and the manual authority
 * review used by tenants whose authority adapter is `manual` (a Hawiya extension).
 */
import type { FastifyInstance } from 'fastify';
import type { Hawiya } from '../server/context.js';
import { ok } from '../server/envelope.js';
import { VlensError } from '../server/errors.js';
import { actingTenant } from '../auth/guard.js';
import { VerificationFlow } from '../verification/flow.js';
import { nullableStr, str } from './schemas.js';

const TAG = 'Transactions (admin)';

export async function transactionRoutes(app: FastifyInstance, ctx: Hawiya) {
  const flow = new VerificationFlow(ctx);

  app.get('/api/Transactions/GetTransactionById', {
    config: { auth: 'admin', permission: 'Transactions' },
    schema: { tags: [TAG], summary: 'One verification transaction with its steps', querystring: { type: 'object', required: ['id'], properties: { id: str(64), ImpersonatedTenantId: { type: 'integer' }, LogId: nullableStr(256) } } },
  }, async (req, reply) => {
    const q = req.query as { id: string; ImpersonatedTenantId?: number; LogId?: string };
    const tenant = await actingTenant(ctx, req, q.ImpersonatedTenantId);
    const tx = await flow.txs.get(tenant, q.id);
    if (!tx) throw new VlensError(5004);
    const steps = await flow.txs.steps(tenant, tx.id);
    const summary = flow.txs.summary(tenant, tx);
    const user = tx.user_id !== null ? await ctx.users.get(tenant, tx.user_id) : undefined;
    const dto = user ? ctx.users.toDto(tenant, user) : undefined;
    const front = (steps.get('id_front')?.result.data ?? {}) as Record<string, unknown>;
    const back = (steps.get('id_back')?.result.data ?? {}) as Record<string, unknown>;
    const identityFields: Record<string, unknown> = { FullName: summary.fullName, IdNumber: summary.idNumber, PhoneNumber: dto?.phoneNumber, Address: front.address, DateOfBirth: front.dateOfBirth, Gender: front.gender ?? back.gender, Job: back.job, IdExpiry: back.idExpiry };
    await ctx.audit.record({ tenantId: tenant.id, actorType: req.principal!.isHost ? 'host' : 'admin', actorId: req.principal!.id, action: 'transaction.read', target: tx.id, logId: q.LogId, requestId: req.id, ip: req.ip });
    return ok(reply, {
      transaction: {
        id: tx.id, stepsCount: steps.size, fullName: summary.fullName ?? null, idNumber: summary.idNumber ?? null,
        isMatched: tx.is_matched === 1, isVerified: tx.is_verified === 1, isCompleted: tx.is_completed === 1, status: tx.status,
        authorityStatus: tx.authority_status, creationTime: tx.created_at, clientTransactionId: tx.client_transaction_id, creatorUserId: tx.user_id,
      },
      transactionItems: {
        lazyLoadImages: true,
        hasOtherSteps: false,
        phoneNumber: dto?.phoneNumber ?? null,
        isDigitalIdentityVerified: tx.is_verified === 1,
        digitalIdentityData: Object.entries(identityFields).filter(([, v]) => v != null).map(([name, value]) => ({ name, value: String(value) })),
        deviceInfo: null,
        steps: [...steps.entries()].map(([step, s]) => ({
          transactionId: tx.id, clientTransactionId: tx.client_transaction_id, step, passed: s.passed, creationTime: s.createdAt,
          images: Object.keys(s.images), validationErrors: s.result.findings ?? [],
          ...(step === 'liveness' ? { liveness: s.result.live, similarity: s.result.similarity, band: s.result.band } : { docType: s.result.docType, spoof: s.result.spoof }),
        })),
      },
    });
  });

  app.post('/api/Transactions/ReviewAuthorityCheck', {
    config: { auth: 'admin', permission: 'Transactions' },
    schema: { tags: [TAG], summary: 'Approve or reject a transaction waiting for a manual authority check (Hawiya extension)', body: { type: 'object', required: ['id', 'approve'], properties: { id: str(64), approve: { type: 'boolean' }, note: nullableStr(512) } } },
  }, async (req, reply) => {
    const b = req.body as { id: string; approve: boolean };
    const tenant = req.tenant!;
    const tx = await flow.txs.get(tenant, b.id);
    if (!tx) throw new VlensError(5004);
    if (tx.authority_status !== 'pending' || tx.is_completed !== 1) throw new VlensError(400, 'The transaction is not waiting for an authority review.', 400);
    await flow.txs.update(tenant, tx, { authority_status: b.approve ? 'passed' : 'failed' });
    const status = await flow.decide(req, tenant, tx, await flow.txs.steps(tenant, tx.id));
    await ctx.audit.record({ tenantId: tenant.id, actorType: 'admin', actorId: req.principal!.id, action: b.approve ? 'authority.approve' : 'authority.reject', target: tx.id, requestId: req.id, ip: req.ip });
    return ok(reply, { transactionId: tx.id, ...status });
  });
}
