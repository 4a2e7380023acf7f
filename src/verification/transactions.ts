/**
 * Verification transactions (spec §5.1, §13): one id shared by the front, back and liveness steps.
 * A client-generated unknown UUID creates the transaction; a foreign tenant's or user's id is 5004;
 * each step is retried at most `maxTrialsPerStep` times (4003). Step results and personal data are sealed.
 */
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Hawiya } from '../server/context.js';
import type { Tenant } from '../tenants/service.js';
import type { TransactionsTable } from '../storage/schema.js';
import { nowIso } from '../storage/db.js';
import { VlensError } from '../server/errors.js';
import { UUID_RE } from '../routes/schemas.js';

export type StepName = 'id_front' | 'id_back' | 'liveness';
export type TransactionRow = Selectable<TransactionsTable>;

export interface StepRecord<R = Record<string, any>> {
  passed: boolean;
  result: R;
  /** fileName → blob key */
  images: Record<string, string>;
  createdAt: string;
}

/** Who is calling: an end user (DI endpoints, or /v1/ocr with a bearer) or just the tenant's ApiKey. */
export interface Caller {
  userId: number | null;
  apiKeyId: string | null;
}

export interface TransactionSummary {
  fullName?: string | null;
  idNumber?: string | null;
  phoneNumber?: string | null;
}

export class TransactionService {
  constructor(private readonly ctx: Hawiya) {}

  /**
   * Resolves the transaction a step writes to. Returns the existing row, or a new id (not yet stored) when the
   * id is unknown or absent; `create` stores it. ApiKey-only callers may only touch transactions with no user.
   */
  async resolve(tenant: Tenant, id: string | null | undefined, caller: Caller): Promise<{ row?: TransactionRow; id: string }> {
    if (id === null || id === undefined || id === '') return { id: crypto.randomUUID() };
    if (!UUID_RE.test(id)) throw new VlensError(5004, 'transaction_id must be a UUID.');
    const txId = id.toLowerCase();
    const row = await this.ctx.db.selectFrom('transactions').selectAll().where('id', '=', txId).executeTakeFirst();
    if (!row) return { id: txId };
    if (row.tenant_id !== tenant.id) throw new VlensError(5004);
    if (row.user_id !== null && row.user_id !== caller.userId) throw new VlensError(5004);
    if (row.status === 'cancelled') throw new VlensError(5004, 'The transaction was cancelled.');
    return { row, id: txId };
  }

  async get(tenant: Tenant, id: string): Promise<TransactionRow | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return this.ctx.db.selectFrom('transactions').selectAll().where('id', '=', id.toLowerCase()).where('tenant_id', '=', tenant.id).executeTakeFirst();
  }

  async create(tenant: Tenant, id: string, caller: Caller, clientTransactionId: string | null): Promise<TransactionRow> {
    const now = nowIso();
    const row = {
      id, tenant_id: tenant.id, user_id: caller.userId, api_key_id: caller.apiKeyId, client_transaction_id: clientTransactionId,
      trials: 0, step_trials: '{}', status: 'open', is_completed: 0, is_verified: 0, is_matched: null, authority_status: null,
      summary_enc: null, face_enc: null, created_at: now, updated_at: now,
    };
    try {
      await this.ctx.db.insertInto('transactions').values(row).execute();
    } catch {
      // A concurrent first call with the same client-generated id created it: use that one if it is ours.
      const existing = await this.resolve(tenant, id, caller);
      if (existing.row) return existing.row;
      throw new VlensError(5004);
    }
    return row;
  }

  /** Throws 4003 once a step has been tried `maxTrialsPerStep` times; otherwise counts this attempt. */
  async countTrial(tenant: Tenant, row: TransactionRow, step: StepName): Promise<void> {
    const trials = JSON.parse(row.step_trials) as Record<string, number>;
    const used = trials[step] ?? 0;
    if (used >= tenant.settings.maxTrialsPerStep) throw new VlensError(4003);
    trials[step] = used + 1;
    row.step_trials = JSON.stringify(trials);
    row.trials += 1;
    await this.ctx.db.updateTable('transactions').set({ step_trials: row.step_trials, trials: row.trials, updated_at: nowIso() })
      .where('id', '=', row.id).execute();
  }

  async steps(tenant: Tenant, txId: string): Promise<Map<StepName, StepRecord>> {
    const rows = await this.ctx.db.selectFrom('transaction_steps').selectAll().where('transaction_id', '=', txId).where('tenant_id', '=', tenant.id).execute();
    const out = new Map<StepName, StepRecord>();
    for (const r of rows) {
      out.set(r.step as StepName, {
        passed: r.passed === 1,
        result: tenant.keys.decryptJson(r.result_enc, `step:${txId}:${r.step}`),
        images: JSON.parse(r.images) as Record<string, string>,
        createdAt: r.created_at,
      });
    }
    return out;
  }

  /** Stores a step, replacing an earlier attempt of the same step (its images are deleted after the swap). */
  async saveStep(tenant: Tenant, txId: string, step: StepName, passed: boolean, result: Record<string, unknown>, images: { fileName: string; bytes: Buffer }[]): Promise<StepRecord> {
    const stored: Record<string, string> = {};
    for (const img of images) {
      const key = `t${tenant.id}/${txId}/${crypto.randomUUID()}`;
      await this.ctx.blobs.put(tenant.keys, key, img.bytes);
      stored[img.fileName] = key;
    }
    const old = await this.ctx.db.selectFrom('transaction_steps').select(['id', 'images']).where('transaction_id', '=', txId).where('step', '=', step).executeTakeFirst();
    const record = { passed: passed ? 1 : 0, result_enc: tenant.keys.encryptJson(result, `step:${txId}:${step}`), images: JSON.stringify(stored), created_at: nowIso() };
    if (old) await this.ctx.db.updateTable('transaction_steps').set(record).where('id', '=', old.id).execute();
    else await this.ctx.db.insertInto('transaction_steps').values({ transaction_id: txId, tenant_id: tenant.id, step, ...record }).execute();
    if (old) for (const key of Object.values(JSON.parse(old.images) as Record<string, string>)) await this.ctx.blobs.delete(key).catch(() => {});
    return { passed, result, images: stored, createdAt: record.created_at };
  }

  summary(tenant: Tenant, row: TransactionRow): TransactionSummary {
    return row.summary_enc ? tenant.keys.decryptJson<TransactionSummary>(row.summary_enc, `tx:${row.id}:summary`) : {};
  }

  async update(tenant: Tenant, row: TransactionRow, patch: Partial<Pick<TransactionRow, 'user_id' | 'status' | 'is_completed' | 'is_verified' | 'is_matched' | 'authority_status' | 'face_enc'>> & { summary?: TransactionSummary }): Promise<void> {
    const { summary, ...cols } = patch;
    const set: Record<string, unknown> = { ...cols, updated_at: nowIso() };
    if (summary) set.summary_enc = tenant.keys.encryptJson({ ...this.summary(tenant, row), ...summary }, `tx:${row.id}:summary`);
    Object.assign(row, set);
    await this.ctx.db.updateTable('transactions').set(set).where('id', '=', row.id).where('tenant_id', '=', tenant.id).execute();
  }

  faceEmbedding(tenant: Tenant, row: TransactionRow): number[] | undefined {
    return row.face_enc ? tenant.keys.decryptJson<number[]>(row.face_enc, `tx:${row.id}:face`) : undefined;
  }

  sealFace(tenant: Tenant, txId: string, embedding: number[]): string {
    return tenant.keys.encryptJson(embedding, `tx:${txId}:face`);
  }
}
