/** Per-tenant settings: which authority checks are required, registration policy, limits and error policy. */
export interface TenantSettings {
  /** CSO (civil registry) check required for Verified (spec §4). */
  requireCso: boolean;
  /** NTRA (phone ownership) check required for Verified. */
  requireNtra: boolean;
  /** Email OTP verification required at registration (spec §8.5). */
  requireEmailVerification: boolean;
  /** Production tenants never echo OTPs in responses. */
  production: boolean;
  rateLimit: { perSecond: number; perMinute: number };
  /** HTTP status for business errors (3xxx–7xxx): 200 (docs) or 422 (older docs), spec §2.2. */
  businessErrorStatus: 200 | 422;
  /** Capture attempts allowed per transaction side before 4003. */
  maxTrialsPerStep: number;
  /** Authority-check adapter: disabled (Validated = Verified), http, or manual review. */
  authority: { mode: 'disabled' | 'http' | 'manual'; url?: string; token?: string };
  /** Face-match similarity bands; null = engine defaults. */
  faceMatch: { match: number | null; review: number | null };
}

export const DEFAULT_SETTINGS: TenantSettings = {
  requireCso: false,
  requireNtra: false,
  requireEmailVerification: false,
  production: false,
  rateLimit: { perSecond: 10, perMinute: 60 },
  businessErrorStatus: 200,
  maxTrialsPerStep: 5,
  authority: { mode: 'disabled' },
  faceMatch: { match: null, review: null },
};

/** Deep-merges a partial update into settings, ignoring unknown keys. */
export function mergeSettings(base: TenantSettings, patch: Record<string, unknown>): TenantSettings {
  const out: any = structuredClone(base);
  for (const [k, v] of Object.entries(patch)) {
    if (!(k in out)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object') out[k] = { ...out[k], ...v };
    else out[k] = v;
  }
  if (out.businessErrorStatus !== 200 && out.businessErrorStatus !== 422) out.businessErrorStatus = 200;
  return out as TenantSettings;
}

export function parseSettings(json: string): TenantSettings {
  return mergeSettings(DEFAULT_SETTINGS, JSON.parse(json) as Record<string, unknown>);
}
