/**
 * The Digital Identity flow shared by the user endpoints (/api/DigitalIdentity/verify/…) and the
 * ApiKey-only OCR endpoints (/v1/ocr/…): scan a card side, check three selfie frames, link a
 * capture-first transaction to a user, and decide Validated / Verified (spec §4–5).
 */
import type { FastifyRequest } from 'fastify';
import type { Hawiya } from '../server/context.js';
import type { Tenant } from '../tenants/service.js';
import { VlensError, errorMessage } from '../server/errors.js';
import { decodeImageInput, type DecodedImage } from '../imaging/input.js';
import { TransactionService, type Caller, type StepName, type StepRecord, type TransactionRow } from './transactions.js';
import { buildServices, documentFindings, finding } from './services.js';
import { frontBackMismatch } from '../document/checks.js';
import type { DocumentScan, ValidationFinding } from './engines.js';
import { runAuthorityChecks, srcFor, type AuthorityOutcome } from './authority.js';

/** Per-tenant face-match thresholds; unset values fall back to the engine's calibrated defaults. */
export function matchThresholds(f: { match: number | null; review: number | null }) {
  return { ...(f.match != null ? { match: f.match } : {}), ...(f.review != null ? { review: f.review } : {}) };
}

export type Side = 'front' | 'back';
const STEP_OF: Record<Side, StepName> = { front: 'id_front', back: 'id_back' };
const FILE_OF: Record<Side, string> = { front: 'id_front.jpg', back: 'id_back.jpg' };
export const LIVENESS_FILES = ['liveness_face_01.jpg', 'liveness_face_02.jpg', 'liveness_face_03.jpg'] as const;
export const LIVENESS_BEST_FILE = 'liveness.jpg';
export const LIVENESS_REFERENCE_FILE = 'liveness_reference.jpg';

/** Everything a step returns to the route, which shapes it for its endpoint family. */
export interface StepOutcome {
  tx: TransactionRow;
  steps: Map<StepName, StepRecord>;
  services: Record<string, unknown>;
  status: { isVerificationProcessCompleted: boolean; isDigitalIdentityVerified: boolean; isMatched: boolean | null };
  /** Extension fields for face steps (ignored by SDKs). */
  face?: { similarity: number | null; band: string | null; live: string; reasons: string[] };
}

export function callerOf(req: FastifyRequest): Caller {
  return { userId: req.principal?.type === 'user' ? req.principal.id : null, apiKeyId: req.apiKeyId ?? null };
}

/** Engine failures that are not Vlens errors become the step's general error code (7001/7002/7008). */
async function guard<T>(code: number, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof VlensError) throw e;
    throw new VlensError(code, `${errorMessage(code, 'en')} (${(e as Error).message})`);
  }
}

export class VerificationFlow {
  readonly txs: TransactionService;
  constructor(private readonly ctx: Hawiya) {
    this.txs = new TransactionService(ctx);
  }

  /** Scans one card side into a transaction. Bad images fail before anything is stored. */
  async scanSide(req: FastifyRequest, side: Side, body: { image: string; transaction_id?: string | null; client_transaction_id?: string | null }): Promise<StepOutcome> {
    const tenant = req.tenant!;
    const caller = callerOf(req);
    const image = await decodeImageInput(body.image);
    const resolved = await this.txs.resolve(tenant, body.transaction_id, caller);
    if (resolved.row) await this.txs.countTrial(tenant, resolved.row, STEP_OF[side]);
    const doc = await this.ctx.engines.document();
    const scan = await guard(side === 'front' ? 7001 : 7002, () => doc.scan(image.bytes, { expectedSide: side }));

    const tx = resolved.row ?? (await this.txs.create(tenant, resolved.id, caller, body.client_transaction_id ?? null));
    if (!resolved.row) await this.txs.countTrial(tenant, tx, STEP_OF[side]);
    const steps = await this.txs.steps(tenant, tx.id);
    const findings = documentFindings(scan);

    let faceEnc: string | null | undefined;
    if (side === 'front') {
      const face = await this.ctx.engines.face();
      try {
        const portrait = await face.portraitEmbedding(scan.portrait ?? scan.rectified);
        faceEnc = this.txs.sealFace(tenant, tx.id, portrait.embedding);
      } catch (e) {
        if (!(e instanceof VlensError)) throw new VlensError(7001, (e as Error).message);
        findings.push(finding('portrait', null, 3014, errorMessage(3014, 'en')));
        faceEnc = null;
      }
    }
    // The two sides carry the same national ID number (3101).
    const otherId = steps.get(side === 'front' ? 'id_back' : 'id_front')?.result.data?.idNumber as string | null | undefined;
    const mismatch = side === 'front' ? frontBackMismatch(scan.data.idNumber as string | null, otherId) : frontBackMismatch(otherId, scan.data.idNumber as string | null);
    if (mismatch) findings.push(mismatch);

    const passed = findings.length === 0;
    const record = await this.txs.saveStep(tenant, tx.id, STEP_OF[side], passed, {
      data: scan.data, findings, spoof: scan.spoof, docType: scan.docType,
    }, [{ fileName: FILE_OF[side], bytes: image.bytes }, { fileName: `${side === 'front' ? 'id_front' : 'id_back'}_card.jpg`, bytes: scan.rectified }]);
    steps.set(STEP_OF[side], record);

    const d = scan.data as Record<string, string | null | undefined>;
    const summary = side === 'front' ? { fullName: d.name ?? null, idNumber: d.idNumber ?? null } : { idNumber: (this.txs.summary(tenant, tx).idNumber ?? d.idNumber) ?? null };
    await this.txs.update(tenant, tx, { summary, ...(faceEnc !== undefined ? { face_enc: faceEnc } : {}) });
    const status = await this.decide(req, tenant, tx, steps);
    return {
      tx, steps, status,
      services: buildServices({ findings, fake: scan.spoof.fake, docType: scan.docType, liveness: steps.get('liveness')?.passed ?? null, src: status.src }),
    };
  }

  /** Three selfie frames: live person, same person as the ID portrait (spec §5.3, §8.10). */
  async liveness(req: FastifyRequest, body: { transaction_id?: string | null; face_1: string; face_2: string; face_3: string; image?: string | null }): Promise<StepOutcome> {
    const tenant = req.tenant!;
    const frames: DecodedImage[] = [];
    for (const f of [body.face_1, body.face_2, body.face_3]) frames.push(await decodeImageInput(f));
    const reference = body.image ? await decodeImageInput(body.image) : undefined;
    const resolved = await this.txs.resolve(tenant, body.transaction_id, callerOf(req));
    const tx = resolved.row;
    if (!tx) throw new VlensError(6010);
    const steps = await this.txs.steps(tenant, tx.id);
    if (!steps.get('id_front')?.passed || !steps.get('id_back')?.passed) throw new VlensError(6010);
    await this.txs.countTrial(tenant, tx, 'liveness');

    const face = await this.ctx.engines.face();
    const portrait = this.txs.faceEmbedding(tenant, tx);
    const thresholds = matchThresholds(tenant.settings.faceMatch);
    const findings: ValidationFinding[] = [];
    let live = 'inconclusive';
    let reasons: string[] = [];
    let match: { similarity: number; band: string; isMatched: boolean } | undefined;
    let bestIndex = 0;
    try {
      const result = await face.liveness(frames, { reference: portrait, thresholds });
      live = result.live;
      reasons = result.reasons;
      bestIndex = result.bestFrameIndex;
      match = result.match;
      if (live === 'not_live') findings.push(finding('liveness', null, 6013, `${errorMessage(6013, 'en')} (${reasons.join(', ')})`));
      else if (live === 'inconclusive') findings.push(finding('liveness', null, 4209, `${errorMessage(4209, 'en')} (${reasons.join(', ')})`));
    } catch (e) {
      if (!(e instanceof VlensError)) throw new VlensError(7008, (e as Error).message);
      if (![4206, 4207, 4208, 4209, 4210].includes(e.code)) throw e;
      // Capture-quality problems are reported the way the SDKs read them: as validation errors (spec §10.3).
      live = 'inconclusive';
      reasons = [e.detail ?? errorMessage(e.code, 'en')];
      findings.push(finding('face', null, e.code, e.detail ?? errorMessage(e.code, 'en')));
    }
    if (!portrait) findings.push(finding('portrait', null, 3014, errorMessage(3014, 'en')));
    else if (match && match.band === 'review') findings.push(finding('face', null, 6012, errorMessage(6012, 'en')));
    else if (match && !match.isMatched) findings.push(finding('face', null, 6011, errorMessage(6011, 'en')));

    const isMatched = !!match?.isMatched;
    const passed = live === 'live' && isMatched && findings.length === 0;
    const images: { fileName: string; bytes: Buffer }[] = frames.map((f, i) => ({ fileName: LIVENESS_FILES[i]!, bytes: f.bytes }));
    images.push({ fileName: LIVENESS_BEST_FILE, bytes: frames[bestIndex]!.bytes });
    if (reference) images.push({ fileName: LIVENESS_REFERENCE_FILE, bytes: reference.bytes });
    const record = await this.txs.saveStep(tenant, tx.id, 'liveness', passed, {
      live, reasons, isMatched, similarity: match?.similarity ?? null, band: match?.band ?? null, findings,
    }, images);
    steps.set('liveness', record);
    await this.txs.update(tenant, tx, { is_matched: isMatched ? 1 : 0 });
    const status = await this.decide(req, tenant, tx, steps);
    return {
      tx, steps, status,
      face: { similarity: match?.similarity ?? null, band: match?.band ?? null, live, reasons },
      services: buildServices({ findings, fake: live === 'not_live', liveness: live === 'live', src: status.src }),
    };
  }

  /** Capture-first flow (spec §5.2): attach an ApiKey-only transaction to the calling user and decide. */
  async link(req: FastifyRequest, transactionId: string): Promise<StepOutcome> {
    const tenant = req.tenant!;
    const userId = req.principal!.id;
    const tx = await this.txs.get(tenant, transactionId);
    if (!tx || (tx.user_id !== null && tx.user_id !== userId) || tx.status === 'cancelled') throw new VlensError(5004);
    if (tx.user_id === null) await this.txs.update(tenant, tx, { user_id: userId });
    const steps = await this.txs.steps(tenant, tx.id);
    const status = await this.decide(req, tenant, tx, steps);
    const findings = [...(steps.get('id_front')?.result.findings ?? []), ...(steps.get('id_back')?.result.findings ?? []), ...(steps.get('liveness')?.result.findings ?? [])];
    return { tx, steps, status, services: buildServices({ findings, liveness: steps.get('liveness')?.passed ?? false, src: status.src }) };
  }

  /**
   * Validated = front, back and liveness passed with a face match. Verified = Validated plus the tenant's
   * authority checks. A verified transaction of a user fills the user's profile from the card.
   */
  async decide(req: FastifyRequest, tenant: Tenant, tx: TransactionRow, steps: Map<StepName, StepRecord>) {
    const front = steps.get('id_front');
    const back = steps.get('id_back');
    const live = steps.get('liveness');
    const completed = !!(front?.passed && back?.passed && live?.passed && live.result.isMatched);
    let authority: AuthorityOutcome['status'] | null = tx.authority_status as AuthorityOutcome['status'] | null;
    let src = srcFor(authority);
    // Checks run once when the transaction first completes; only an unreachable HTTP adapter is retried.
    const rerun = authority === null || (authority === 'pending' && tenant.settings.authority.mode === 'http');
    if (!completed) authority = null;
    else if (rerun) {
      const f = (front!.result.data ?? {}) as Record<string, string | null>;
      let phone: string | null = null;
      if (tx.user_id !== null) {
        const u = await this.ctx.users.get(tenant, tx.user_id);
        phone = u ? this.ctx.users.toDto(tenant, u).phoneNumber : null;
      }
      const outcome = await runAuthorityChecks(tenant, { idNumber: f.idNumber ?? null, fullName: f.name ?? null, dateOfBirth: f.dateOfBirth ?? null, phoneNumber: phone });
      authority = outcome.status;
      src = outcome.src;
    }
    const verified = completed && (authority === 'passed' || authority === 'disabled');
    const statusName = verified ? 'verified' : completed ? 'completed' : 'open';
    await this.txs.update(tenant, tx, { is_completed: completed ? 1 : 0, is_verified: verified ? 1 : 0, authority_status: authority, status: statusName });
    if (tx.user_id !== null) await this.syncUser(req, tenant, tx, front, verified);
    return { isVerificationProcessCompleted: completed, isDigitalIdentityVerified: verified, isMatched: tx.is_matched === null ? null : tx.is_matched === 1, src };
  }

  private async syncUser(req: FastifyRequest, tenant: Tenant, tx: TransactionRow, front: StepRecord | undefined, verified: boolean) {
    const user = await this.ctx.users.get(tenant, tx.user_id!);
    if (!user) return;
    if (verified) {
      const f = (front?.result.data ?? {}) as Record<string, string | null>;
      await this.ctx.users.setVerified(tenant, user.id, {
        name: f.first_name ?? null, surname: f.last_names ?? null, fullName: f.name ?? null, idNumber: f.idNumber ?? null, address: f.address ?? null,
      }, tx.id, true);
      if (user.is_identity_verified !== 1) await this.ctx.audit.record({ tenantId: tenant.id, actorType: 'user', actorId: user.id, action: 'identity.verified', target: tx.id, requestId: req.id });
    } else if (user.verified_transaction_id === tx.id && user.is_identity_verified === 1) {
      // A resubmitted step of the verified transaction failed: the identity is no longer verified.
      await this.ctx.users.setVerified(tenant, user.id, null, null, false);
    }
  }

  /** Both sides' accumulated fields (spec §8.9: the back call returns the front's data too). */
  extracted(steps: Map<StepName, StepRecord>, txId: string) {
    const withTx = (r?: StepRecord) => (r ? { ...(r.result.data as Record<string, unknown>), transaction_id: txId } : null);
    return { idFrontData: withTx(steps.get('id_front')), idBackData: withTx(steps.get('id_back')) };
  }
}

export type { DocumentScan };
