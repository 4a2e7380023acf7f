/**
 * /v1/ocr/… — the standalone OCR & computer-vision product (spec §8.18). ApiKey only; a valid user bearer,
 * when present, attaches the transaction to that user (spec §3.6).
 */
import type { FastifyInstance } from 'fastify';
import type { Hawiya } from '../server/context.js';
import { ok } from '../server/envelope.js';
import { IMAGE_BODY_LIMIT } from '../server/app.js';
import { VlensError } from '../server/errors.js';
import { decodeImageInput } from '../imaging/input.js';
import { VerificationFlow, matchThresholds } from '../verification/flow.js';
import { buildServices } from '../verification/services.js';
import { idStepBody, livenessBody } from './digital-identity/verify.js';
import { image, nullableStr, uuid } from './schemas.js';

const TAG = 'OCR & computer vision';

interface Echo { client_transaction_id?: string | null; request_id?: string | null }
const echo = (b: Echo, txId: string | null) => ({ transaction_id: txId, client_transaction_id: b.client_transaction_id ?? null, request_id: b.request_id ?? null });

export async function ocrRoutes(app: FastifyInstance, ctx: Hawiya) {
  const flow = new VerificationFlow(ctx);
  const opts = (summary: string, body: object) => ({ config: { auth: 'key' as const }, bodyLimit: IMAGE_BODY_LIMIT, schema: { tags: [TAG], summary, body } });

  for (const side of ['front', 'back'] as const) {
    app.post(`/v1/ocr/id/${side}`, opts(`Extract the national ID ${side}`, idStepBody), async (req, reply) => {
      const b = req.body as { image: string; transaction_id?: string | null } & Echo;
      const out = await flow.scanSide(req, side, b);
      // The OCR product always returns the extracted fields: extraction is what it is for.
      const fields = flow.extracted(out.steps, out.tx.id)[side === 'front' ? 'idFrontData' : 'idBackData'];
      return ok(reply, { ...fields, ...echo(b, out.tx.id) }, { services: out.services });
    });
  }

  app.post('/v1/ocr/classification', opts('Classify a document image (services.classification.doc_type)', { type: 'object', required: ['image'], properties: { image, transaction_id: uuid, client_transaction_id: nullableStr(256), request_id: nullableStr(256) } }), async (req, reply) => {
    const b = req.body as { image: string } & Echo;
    const img = await decodeImageInput(b.image);
    const doc = await ctx.engines.document();
    let side: string = 'other';
    let docType = 'unknown';
    try {
      const c = doc.classify ? await doc.classify(img.bytes) : await doc.scan(img.bytes);
      side = c.side;
      docType = c.docType;
    } catch (e) {
      if (!(e instanceof VlensError) || ![3011, 5001].includes(e.code)) throw e;
    }
    return ok(reply, { side, doc_type: docType, ...echo(b, null) }, { services: { classification: { doc_type: docType } } });
  });

  app.post('/v1/ocr/liveness/multi', opts('Three selfie frames: liveness and match against the transaction’s ID portrait', livenessBody), async (req, reply) => {
    const b = req.body as { transaction_id?: string | null; face_1: string; face_2: string; face_3: string; image?: string | null } & Echo;
    const out = await flow.liveness(req, b);
    return ok(reply, {
      isVerificationProcessCompleted: out.status.isVerificationProcessCompleted,
      isDigitalIdentityVerified: out.status.isDigitalIdentityVerified,
      isMatched: out.status.isMatched,
      deviceInfo: null,
      faceMatch: out.face,
      ...echo(b, out.tx.id),
    }, { services: out.services });
  });

  app.post('/v1/ocr/face/match', opts('Match a face image against the ID portrait of a transaction', { type: 'object', required: ['image', 'transaction_id'], properties: { image, transaction_id: uuid, client_transaction_id: nullableStr(256), request_id: nullableStr(256) } }), async (req, reply) => {
    const b = req.body as { image: string; transaction_id: string } & Echo;
    const img = await decodeImageInput(b.image);
    const { row } = await flow.txs.resolve(req.tenant!, b.transaction_id, { userId: req.principal?.type === 'user' ? req.principal.id : null, apiKeyId: req.apiKeyId ?? null });
    const portrait = row ? flow.txs.faceEmbedding(req.tenant!, row) : undefined;
    if (!row || !portrait) throw new VlensError(5004, 'The transaction has no scanned ID front with a portrait.');
    const face = await ctx.engines.face();
    const probe = await face.portraitEmbedding(img.bytes).catch((e) => { throw e instanceof VlensError ? (e.code === 3014 ? new VlensError(4207) : e) : new VlensError(7008, (e as Error).message); });
    const m = face.match(probe.embedding, portrait, matchThresholds(req.tenant!.settings.faceMatch));
    return ok(reply, { isMatched: m.isMatched, similarity: round(m.similarity), band: m.band, ...echo(b, row.id) }, { services: buildServices({}) });
  });

  app.post('/v1/ocr/face/compare', opts('Compare two face images', { type: 'object', required: ['face_image1', 'face_image2'], properties: { face_image1: image, face_image2: image, transaction_id: uuid, client_transaction_id: nullableStr(256), request_id: nullableStr(256) } }), async (req, reply) => {
    const b = req.body as { face_image1: string; face_image2: string; transaction_id?: string | null } & Echo;
    const a = await decodeImageInput(b.face_image1);
    const c = await decodeImageInput(b.face_image2);
    const face = await ctx.engines.face();
    const [ea, ec] = await Promise.all([a, c].map((img) => face.portraitEmbedding(img.bytes).catch((e) => {
      throw e instanceof VlensError ? (e.code === 3014 ? new VlensError(4207) : e) : new VlensError(7008, (e as Error).message);
    })));
    const m = face.match(ea!.embedding, ec!.embedding, matchThresholds(req.tenant!.settings.faceMatch));
    return ok(reply, { isMatched: m.isMatched, similarity: round(m.similarity), band: m.band, ...echo(b, b.transaction_id ?? null) }, { services: buildServices({}) });
  });
}

const round = (x: number) => Math.round(x * 10000) / 10000;
