/**
 * Audit log of admin and security-relevant actions: who, which tenant, what, on what, the caller's LogId,
 * when. Details never carry personal data or secrets.
 */
import type { DB } from '../storage/db.js';
import { nowIso } from '../storage/db.js';

export interface AuditEntry {
  tenantId: number | null;
  actorType: 'admin' | 'host' | 'cli' | 'system' | 'user';
  actorId?: string | number | null;
  action: string;
  target?: string | null;
  logId?: string | null;
  requestId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export class AuditLog {
  constructor(private readonly db: DB) {}

  async record(e: AuditEntry): Promise<void> {
    await this.db.insertInto('audit_log').values({
      tenant_id: e.tenantId,
      actor_type: e.actorType,
      actor_id: e.actorId == null ? null : String(e.actorId),
      action: e.action,
      target: e.target ?? null,
      log_id: e.logId ?? null,
      request_id: e.requestId ?? null,
      ip: e.ip ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
      created_at: nowIso(),
    }).execute();
  }

  async list(tenantId: number | null, limit = 100) {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
    if (tenantId !== null) q = q.where('tenant_id', '=', tenantId);
    return q.execute();
  }
}
