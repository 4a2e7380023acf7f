/**
 * Authority checks (CSO civil registry, NTRA phone ownership) behind one interface (spec §4). Government
 * services are not reachable from a self-hosted build, so a tenant picks an adapter:
 *  - disabled (default): no authority check; Validated = Verified, as the spec says for tenants with both off
 *  - http: POSTs the identity to the operator's own integration and reads {cso, ntra} booleans back
 *  - manual: the identity waits (`pending`) until an admin approves or rejects it
 */
import type { Tenant } from '../tenants/service.js';

export type AuthorityStatus = 'disabled' | 'passed' | 'failed' | 'pending';

export interface AuthorityIdentity {
  idNumber: string | null;
  fullName: string | null;
  dateOfBirth: string | null;
  phoneNumber: string | null;
}

export interface AuthorityOutcome {
  status: AuthorityStatus;
  /** The `services.SRC` object (spec §6.2). */
  src: { isValid: boolean; errorCode: number; errorKey: string; errorMessage: string };
}

const SRC_OK = { isValid: true, errorCode: 0, errorKey: '', errorMessage: '' };

export function authorityRequired(tenant: Tenant): boolean {
  return (tenant.settings.requireCso || tenant.settings.requireNtra) && tenant.settings.authority.mode !== 'disabled';
}

export async function runAuthorityChecks(tenant: Tenant, identity: AuthorityIdentity): Promise<AuthorityOutcome> {
  if (!authorityRequired(tenant)) return { status: 'disabled', src: SRC_OK };
  const a = tenant.settings.authority;
  if (a.mode === 'manual') {
    return { status: 'pending', src: { isValid: false, errorCode: 1, errorKey: 'pending_manual_review', errorMessage: 'Waiting for an administrator to confirm the identity with the authorities.' } };
  }
  const checks = [tenant.settings.requireCso ? 'CSO' : null, tenant.settings.requireNtra ? 'NTRA' : null].filter(Boolean);
  try {
    const res = await fetch(a.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(a.token ? { authorization: `Bearer ${a.token}` } : {}) },
      body: JSON.stringify({ checks, ...identity }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { cso?: boolean; ntra?: boolean; errorKey?: string; errorMessage?: string };
    const csoOk = !tenant.settings.requireCso || body.cso === true;
    const ntraOk = !tenant.settings.requireNtra || body.ntra === true;
    if (csoOk && ntraOk) return { status: 'passed', src: SRC_OK };
    return {
      status: 'failed',
      src: { isValid: false, errorCode: 2, errorKey: body.errorKey ?? (!csoOk ? 'cso_mismatch' : 'ntra_mismatch'), errorMessage: body.errorMessage ?? 'The authority check did not confirm the identity.' },
    };
  } catch (e) {
    return { status: 'pending', src: { isValid: false, errorCode: 3, errorKey: 'authority_unavailable', errorMessage: `The authority service could not be reached (${(e as Error).message}); retry later.` } };
  }
}

export function srcFor(status: AuthorityStatus | null): AuthorityOutcome['src'] {
  if (status === 'failed') return { isValid: false, errorCode: 2, errorKey: 'authority_rejected', errorMessage: 'The authority check did not confirm the identity.' };
  if (status === 'pending') return { isValid: false, errorCode: 1, errorKey: 'pending', errorMessage: 'The authority check is pending.' };
  return SRC_OK;
}
