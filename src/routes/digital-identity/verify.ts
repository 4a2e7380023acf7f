/**
 * /api/DigitalIdentity/verify/… (user token) and LinkUserWithExistingTransaction (spec §8.8–8.11).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Hawiya } from '../../server/context.js';
import { ok } from '../../server/envelope.js';
import { IMAGE_BODY_LIMIT } from '../../server/app.js';
import { VerificationFlow, type StepOutcome } from '../../verification/flow.js';
import { bool, image, nullableStr, str, uuid } from '../schemas.js';

const TAG = 'Digital Identity — verification';

export const idStepBody = {
  type: 'object', required: ['image'],
  properties: {
    image, transaction_id: uuid, client_transaction_id: nullableStr(256), request_id: nullableStr(256),
    name_check_value: nullableStr(512), country: nullableStr(8), getExtractedData: bool,
  },
};
export const livenessBody = {
  type: 'object', required: ['face_1', 'face_2', 'face_3'],
  properties: { transaction_id: uuid, face_1: image, face_2: image, face_3: image, image: { ...image, type: ['string', 'null'] }, getExtractedData: bool, client_transaction_id: nullableStr(256), request_id: nullableStr(256) },
};

/** The `data` of DI verification responses (spec §6.3). */
async function diData(ctx: Hawiya, flow: VerificationFlow, req: FastifyRequest, out: StepOutcome, getExtractedData: boolean | null | undefined) {
  const tenant = req.tenant!;
  const user = await ctx.users.get(tenant, req.principal!.id);
  const extracted = flow.extracted(out.steps, out.tx.id);
  return {
    isVerificationProcessCompleted: out.status.isVerificationProcessCompleted,
    isDigitalIdentityVerified: out.status.isDigitalIdentityVerified,
    isMatched: out.status.isMatched,
    deviceInfo: null,
    transaction_id: out.tx.id,
    user: user ? ctx.users.toDto(tenant, user) : null,
    // The DI docs read the transaction id from idFrontData.transaction_id, so it is there even without extraction.
    idFrontData: getExtractedData ? extracted.idFrontData : { transaction_id: out.tx.id },
    idBackData: getExtractedData ? extracted.idBackData : null,
    ...(out.face ? { faceMatch: out.face } : {}),
  };
}

export async function verifyRoutes(app: FastifyInstance, ctx: Hawiya) {
  const flow = new VerificationFlow(ctx);
  const opts = (summary: string, body: object) => ({
    config: { auth: 'user' as const }, bodyLimit: IMAGE_BODY_LIMIT, schema: { tags: [TAG], summary, body },
  });

  for (const side of ['front', 'back'] as const) {
    app.post(`/api/DigitalIdentity/verify/id/${side}`, opts(`Scan the ${side} of the national ID into the transaction`, idStepBody), async (req, reply) => {
      const b = req.body as { image: string; transaction_id?: string | null; client_transaction_id?: string | null; getExtractedData?: boolean | null };
      const out = await flow.scanSide(req, side, b);
      return ok(reply, await diData(ctx, flow, req, out, b.getExtractedData), { services: out.services });
    });
  }

  app.post('/api/DigitalIdentity/verify/liveness/multi', opts('Three selfie frames: liveness and match against the ID portrait', livenessBody), async (req, reply) => {
    const b = req.body as { transaction_id?: string | null; face_1: string; face_2: string; face_3: string; image?: string | null; getExtractedData?: boolean | null };
    const out = await flow.liveness(req, b);
    return ok(reply, await diData(ctx, flow, req, out, b.getExtractedData), { services: out.services });
  });

  app.post('/api/DigitalIdentity/LinkUserWithExistingTransaction', {
    config: { auth: 'user' },
    schema: { tags: [TAG], summary: 'Attach a capture-first (ApiKey-only) transaction to the user and decide', body: { type: 'object', required: ['transactionId'], properties: { transactionId: str(64), getExtractedData: bool } } },
  }, async (req, reply) => {
    const b = req.body as { transactionId: string; getExtractedData?: boolean | null };
    const out = await flow.link(req, b.transactionId);
    return ok(reply, await diData(ctx, flow, req, out, b.getExtractedData), { services: out.services });
  });
}
