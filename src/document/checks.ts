/**
 * Consistency checks behind the Vlens validation codes (spec §7.3, §10.3). Each finding is
 * `{ field, value, errors: [{ code, message }] }` as `services.Validations.validation_errors` carries it.
 *
 * Policy decisions (documented here because the spec leaves them open):
 *  - 3003: the NID's governorate digits record where the birth was registered, the printed address is where
 *    the holder lives; they legitimately differ (12 of 15 real cards agree). So 3003 is raised only when the
 *    NID's governorate code does not exist. A differing address governorate is not an error.
 *  - 3002: raised when a confidently read printed birth date disagrees with the NID's birth date, or when the
 *    NID's date is impossible (the NID itself then also fails 3001).
 *  - Fields the engine could not read with confidence are listed too, never silently returned: the ID number
 *    under 3001, dates under their format codes 3007–3009, other text fields under 5008.
 */
import { ERROR_CODES } from '../server/errors.js';
import { parseNationalId, type NationalIdInfo } from './nid.js';

export interface ValidationError {
  code: number;
  message: string;
}

export interface ValidationFinding {
  field: string;
  value: string | null;
  errors: ValidationError[];
}

export function finding(field: string, value: string | null, code: number, detail?: string): ValidationFinding {
  const base = ERROR_CODES[code]?.en ?? `Error ${code}`;
  return { field, value, errors: [{ code, message: detail ? `${base} (${detail})` : base }] };
}

/** Merges findings on the same field into one entry with several errors. */
export function mergeFindings(list: ValidationFinding[]): ValidationFinding[] {
  const byField = new Map<string, ValidationFinding>();
  for (const f of list) {
    const cur = byField.get(f.field);
    if (!cur) byField.set(f.field, { ...f, errors: [...f.errors] });
    else for (const e of f.errors) if (!cur.errors.some((x) => x.code === e.code)) cur.errors.push(e);
  }
  return [...byField.values()];
}

/** Date parts read off the card; any may be missing. */
export interface PrintedDate {
  year: number;
  month: number;
  day?: number;
}

/** Parses Eastern/ASCII digits with '/' separators: YYYY/MM or YYYY/MM/DD (or the same digits without '/'). */
export function parsePrintedDate(text: string): PrintedDate | null {
  const parts = text.split('/').filter((p) => p.length > 0);
  let y: string | undefined;
  let m: string | undefined;
  let d: string | undefined;
  if (parts.length >= 2 && parts[0]!.length === 4) [y, m, d] = parts;
  else {
    const digits = text.replace(/\D/g, '');
    if (digits.length === 8) [y, m, d] = [digits.slice(0, 4), digits.slice(4, 6), digits.slice(6, 8)];
    else if (digits.length === 6) [y, m] = [digits.slice(0, 4), digits.slice(4, 6)];
  }
  if (!y || !m || !/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || (d !== undefined && !/^\d{1,2}$/.test(d))) return null;
  const out: PrintedDate = { year: +y, month: +m };
  if (d !== undefined) out.day = +d;
  if (out.month < 1 || out.month > 12) return null;
  if (out.day !== undefined) {
    const dim = new Date(Date.UTC(out.year, out.month, 0)).getUTCDate();
    if (out.day < 1 || out.day > dim) return null;
  }
  return out;
}

export function isoDate(p: PrintedDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day ?? 1)}`;
}

export const GENDER_AR = { male: 'ذكر', female: 'أنثى' } as const;

/** 3001/3003 from the NID structure; the chosen number is what the engine returns. */
export function nidFindings(field: string, idNumber: string | null, topReading: string, now: Date): { info: NationalIdInfo | null; findings: ValidationFinding[] } {
  if (!idNumber) return { info: null, findings: [finding(field, topReading || null, 3001, 'not readable as a valid national ID')] };
  const info = parseNationalId(idNumber, { now });
  const findings: ValidationFinding[] = [];
  for (const e of info.errors) findings.push(finding(field, idNumber, e.code, e.reason));
  return { info, findings };
}

/** 3002: printed birth date vs the NID. Only year and month when the card prints no day. */
export function birthDateFinding(printed: PrintedDate | null, nidBirth: string | null): ValidationFinding | null {
  if (!printed || !nidBirth) return null;
  const [y, m, d] = nidBirth.split('-').map(Number);
  if (printed.year !== y || printed.month !== m || (printed.day !== undefined && printed.day !== d)) {
    return finding('dateOfBirth', isoDate(printed), 3002, 'printed birth date differs from the national ID');
  }
  return null;
}

/** 3004: the serial is two Latin capitals and seven digits. */
export function idKeyFinding(idKey: string | null): ValidationFinding | null {
  if (idKey && /^[A-Z]{2}\d{7}$/.test(idKey)) return null;
  return finding('idKey', idKey, 3004);
}

/** 3005: printed gender (back) vs the NID's 13th digit. */
export function genderFinding(printedGender: 'male' | 'female' | null, info: NationalIdInfo | null): ValidationFinding | null {
  if (!printedGender || !info?.gender) return null;
  return printedGender === info.gender ? null : finding('gender', GENDER_AR[printedGender], 3005, 'gender differs from the national ID');
}

/** Smart national ID cards have been issued since the mid-1990s. */
const FIRST_ISSUE_YEAR = 1995;

/** 3006 / 3008: release (issue) date must parse, not lie in the future, not precede the holder's birth. */
export function releaseDateFindings(raw: string | null, printed: PrintedDate | null, birthIso: string | null, now: Date): ValidationFinding[] {
  if (!printed) return [finding('releaseDate', raw, 3008)];
  const iso = isoDate(printed);
  const nowYm = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const ym = printed.year * 12 + printed.month - 1;
  if (printed.year < FIRST_ISSUE_YEAR || ym > nowYm) return [finding('releaseDate', iso, 3006, 'issue date out of range')];
  if (birthIso && iso.slice(0, 7) < birthIso.slice(0, 7)) return [finding('releaseDate', iso, 3006, 'issued before the holder was born')];
  return [];
}

/** 3009 / 3010: expiry must parse; a past expiry means an expired card. */
export function expiryFindings(raw: string | null, printed: PrintedDate | null, now: Date): ValidationFinding[] {
  if (!printed || printed.day === undefined) return [finding('idExpiry', raw, 3009)];
  const iso = isoDate(printed);
  if (iso < now.toISOString().slice(0, 10)) return [finding('idExpiry', iso, 3010)];
  return [];
}

/**
 * 3101 helper for the verification layer: the NID of the front and the back must be the same number.
 * Returns the finding to report, or null when they agree (or one side is missing).
 */
export function frontBackMismatch(frontId: string | null | undefined, backId: string | null | undefined): ValidationFinding | null {
  if (!frontId || !backId) return null;
  return frontId === backId ? null : finding('idNumber', backId, 3101);
}
