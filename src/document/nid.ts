/**
 * Egyptian 14-digit national ID number (الرقم القومي): parse, validate, generate, and pick the best
 * valid reading among OCR alternatives.
 *
 * Structure `C YYMMDD GG SSSS K` (see shared/data/README.md §3):
 *  - C: century, 2 = 1900–1999, 3 = 2000–2099;
 *  - YYMMDD: birth date (a real date, not in the future);
 *  - GG: governorate of birth registration (GOVERNORATES);
 *  - SSSS: sequence; its last digit (digit 13) is the gender digit, odd = male, even = female;
 *  - K: check digit, weighted mod 11 ("variant (a)"): S = Σ d_i·w_i over digits 1..13 with
 *    w = [2,7,6,5,4,3,2,7,6,5,4,3,2]; K = (11 − S mod 11) mod 10.
 *    Remainder 0 gives K = 1 (confirmed on a real card). Remainder 1 gives 10 → K = 0: never observed
 *    on a real card, accepted but flagged (`checkDigitEdgeCase`).
 *
 * Error codes follow Vlens: 3001 invalid ID number (length, century, check digit, not a date, future),
 * 3003 unknown governorate code.
 */
import { toAsciiDigits } from './arabic.js';

export const NID_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

export interface Governorate {
  /** Arabic name as printed on cards (final ه instead of ة, no hamza on alef). */
  ar: string;
  /** Standard Arabic spelling. */
  arStandard: string;
  /** English name. */
  en: string;
}

/** Governorate codes (digits 8–9) → names. 88 = born abroad. */
export const GOVERNORATES: Readonly<Record<string, Governorate>> = Object.freeze({
  '01': { ar: 'القاهره', arStandard: 'القاهرة', en: 'Cairo' },
  '02': { ar: 'الاسكندريه', arStandard: 'الإسكندرية', en: 'Alexandria' },
  '03': { ar: 'بورسعيد', arStandard: 'بورسعيد', en: 'Port Said' },
  '04': { ar: 'السويس', arStandard: 'السويس', en: 'Suez' },
  '11': { ar: 'دمياط', arStandard: 'دمياط', en: 'Damietta' },
  '12': { ar: 'الدقهليه', arStandard: 'الدقهلية', en: 'Dakahlia' },
  '13': { ar: 'الشرقيه', arStandard: 'الشرقية', en: 'Sharqia' },
  '14': { ar: 'القليوبيه', arStandard: 'القليوبية', en: 'Qalyubia' },
  '15': { ar: 'كفر الشيخ', arStandard: 'كفر الشيخ', en: 'Kafr El Sheikh' },
  '16': { ar: 'الغربيه', arStandard: 'الغربية', en: 'Gharbia' },
  '17': { ar: 'المنوفيه', arStandard: 'المنوفية', en: 'Monufia' },
  '18': { ar: 'البحيره', arStandard: 'البحيرة', en: 'Beheira' },
  '19': { ar: 'الاسماعيليه', arStandard: 'الإسماعيلية', en: 'Ismailia' },
  '21': { ar: 'الجيزه', arStandard: 'الجيزة', en: 'Giza' },
  '22': { ar: 'بنى سويف', arStandard: 'بني سويف', en: 'Beni Suef' },
  '23': { ar: 'الفيوم', arStandard: 'الفيوم', en: 'Fayoum' },
  '24': { ar: 'المنيا', arStandard: 'المنيا', en: 'Minya' },
  '25': { ar: 'اسيوط', arStandard: 'أسيوط', en: 'Assiut' },
  '26': { ar: 'سوهاج', arStandard: 'سوهاج', en: 'Sohag' },
  '27': { ar: 'قنا', arStandard: 'قنا', en: 'Qena' },
  '28': { ar: 'اسوان', arStandard: 'أسوان', en: 'Aswan' },
  '29': { ar: 'الاقصر', arStandard: 'الأقصر', en: 'Luxor' },
  '31': { ar: 'البحر الاحمر', arStandard: 'البحر الأحمر', en: 'Red Sea' },
  '32': { ar: 'الوادى الجديد', arStandard: 'الوادي الجديد', en: 'New Valley' },
  '33': { ar: 'مطروح', arStandard: 'مطروح', en: 'Matrouh' },
  '34': { ar: 'شمال سيناء', arStandard: 'شمال سيناء', en: 'North Sinai' },
  '35': { ar: 'جنوب سيناء', arStandard: 'جنوب سيناء', en: 'South Sinai' },
  '88': { ar: 'خارج الجمهوريه', arStandard: 'خارج الجمهورية', en: 'Born abroad' },
});

export const GOVERNORATE_CODES: readonly string[] = Object.freeze(Object.keys(GOVERNORATES));

export interface NidError {
  code: 3001 | 3003;
  /** Stable machine-readable reason. */
  reason: 'length' | 'century' | 'date' | 'future' | 'check_digit' | 'governorate';
  message: string;
}

export interface NationalIdInfo {
  /** No errors (the remainder-1 edge case counts as valid, see `checkDigitEdgeCase`). */
  valid: boolean;
  errors: NidError[];
  /** The input reduced to ASCII digits (spaces, dashes and bidi marks removed). */
  digits: string;
  /** Birth century start year (1900 / 2000), null if the century digit is not 2 or 3. */
  century: number | null;
  /** Birth date yyyy-mm-dd, null if not a real date. */
  birthDate: string | null;
  governorateCode: string | null;
  governorate: { ar: string; en: string } | null;
  gender: 'male' | 'female' | null;
  /** Weighted mod-11 check digit matches (true for the accepted remainder-1 case). */
  checkDigitOk: boolean;
  /** The check digit expected from digits 1–13, null if they are not 13 digits. */
  expectedCheckDigit: number | null;
  /** S mod 11 == 1: K = 0 accepted but this case was never observed on a real card. */
  checkDigitEdgeCase: boolean;
}

export interface ParseOptions {
  /** "Today" for the future-date check (default: now). */
  now?: Date;
}

/** S mod 11 over the first 13 digits (ASCII). */
export function nidRemainder(first13: string): number {
  let s = 0;
  for (let i = 0; i < 13; i++) s += (first13.charCodeAt(i) - 48) * NID_WEIGHTS[i];
  return s % 11;
}

/** The check digit for the first 13 digits: (11 − S mod 11) mod 10. */
export function nidCheckDigit(first13: string): number {
  return (11 - nidRemainder(first13)) % 10;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Whether y-m-d is a real Gregorian date. */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= dim[m - 1];
}

function todayIso(now: Date): string {
  return `${now.getUTCFullYear()}-${pad2(now.getUTCMonth() + 1)}-${pad2(now.getUTCDate())}`;
}

/** Reduce OCR/user input to digits: Eastern/Persian digits → ASCII; spaces, dashes, bidi marks dropped. */
export function nidDigits(input: string): string {
  return toAsciiDigits(input ?? '').replace(/[\s\-_.\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C]/g, '');
}

/** Parse and validate a national ID number (ASCII or Eastern digits; spaces allowed). */
export function parseNationalId(input: string, opts: ParseOptions = {}): NationalIdInfo {
  const digits = nidDigits(input);
  const errors: NidError[] = [];
  const info: NationalIdInfo = {
    valid: false,
    errors,
    digits,
    century: null,
    birthDate: null,
    governorateCode: null,
    governorate: null,
    gender: null,
    checkDigitOk: false,
    expectedCheckDigit: null,
    checkDigitEdgeCase: false,
  };
  if (!/^\d{14}$/.test(digits)) {
    errors.push({ code: 3001, reason: 'length', message: `ID number must be 14 digits (got ${/^\d*$/.test(digits) ? digits.length : 'non-digit characters'})` });
    return info;
  }
  const c = digits[0];
  if (c === '2') info.century = 1900;
  else if (c === '3') info.century = 2000;
  else errors.push({ code: 3001, reason: 'century', message: `invalid century digit ${c} (expected 2 or 3)` });

  const yy = +digits.slice(1, 3);
  const mm = +digits.slice(3, 5);
  const dd = +digits.slice(5, 7);
  if (info.century !== null) {
    const y = info.century + yy;
    if (!isRealDate(y, mm, dd)) {
      errors.push({ code: 3001, reason: 'date', message: 'digits 2–7 are not a real birth date' });
    } else {
      info.birthDate = `${y}-${pad2(mm)}-${pad2(dd)}`;
      if (info.birthDate > todayIso(opts.now ?? new Date())) {
        errors.push({ code: 3001, reason: 'future', message: 'birth date is in the future' });
      }
    }
  }

  const gg = digits.slice(7, 9);
  info.governorateCode = gg;
  const gov = GOVERNORATES[gg];
  if (gov) info.governorate = { ar: gov.ar, en: gov.en };
  else errors.push({ code: 3003, reason: 'governorate', message: `unknown governorate code ${gg}` });

  info.gender = (digits.charCodeAt(12) - 48) % 2 === 1 ? 'male' : 'female';

  const r = nidRemainder(digits);
  const k = (11 - r) % 10;
  info.expectedCheckDigit = k;
  info.checkDigitEdgeCase = r === 1;
  info.checkDigitOk = +digits[13] === k;
  if (!info.checkDigitOk) errors.push({ code: 3001, reason: 'check_digit', message: 'check digit does not match' });

  info.valid = errors.length === 0;
  return info;
}

/**
 * Ages a card holder can have: the card is issued from age 16 (Civil Status Law 143/1994, art. 48; one year of
 * slack for a birthday near the issue date) and few holders are past 100. Not a validity rule (such a number may
 * exist), a trust rule for readers: a misread century digit moves the birth date by a hundred years and still
 * passes every check, as may other misread birth-year digits.
 */
export const MIN_HOLDER_AGE = 15;
export const MAX_HOLDER_AGE = 100;

/** Whether the birth date a (valid) number encodes gives a holder aged MIN_HOLDER_AGE to MAX_HOLDER_AGE at `now`. */
export function plausibleHolderAge(idNumber: string, now: Date = new Date()): boolean {
  const birth = parseNationalId(idNumber, { now }).birthDate;
  if (!birth) return false;
  const today = todayIso(now);
  const years = +today.slice(0, 4) - +birth.slice(0, 4) - (today.slice(5) < birth.slice(5) ? 1 : 0);
  return years >= MIN_HOLDER_AGE && years <= MAX_HOLDER_AGE;
}

/** True if the number passes every check. */
export function isValidNationalId(input: string, opts: ParseOptions = {}): boolean {
  return parseNationalId(input, opts).valid;
}

export interface RandomNidOptions {
  /** Birth date yyyy-mm-dd (1900-01-01 … 2099-12-31). Default: random between minYear and maxYear. */
  birthDate?: string;
  minYear?: number;
  maxYear?: number;
  /** Two-digit governorate code. Default: random, weighted roughly by population. */
  governorateCode?: string;
  gender?: 'male' | 'female';
  /** Also allow the unverified remainder-1 case (K = 0). Default false. */
  allowEdgeCase?: boolean;
}

/** Rough population weights (percent) used to pick a birth governorate. */
const GOV_WEIGHTS: Record<string, number> = {
  '01': 10, '02': 5.5, '03': 0.8, '04': 0.7, '11': 1.5, '12': 6.6, '13': 7.5, '14': 5.9, '15': 3.6, '16': 5.2,
  '17': 4.4, '18': 6.5, '19': 1.4, '21': 9.2, '22': 3.3, '23': 3.8, '24': 6, '25': 4.6, '26': 5.2, '27': 3.4,
  '28': 1.6, '29': 1.3, '31': 0.4, '32': 0.3, '33': 0.5, '34': 0.5, '35': 0.1, '88': 0.3,
};

export function randomGovernorateCode(rng: () => number): string {
  const entries = Object.entries(GOV_WEIGHTS);
  const total = entries.reduce((a, [, w]) => a + w, 0);
  let x = rng() * total;
  for (const [k, w] of entries) {
    x -= w;
    if (x < 0) return k;
  }
  return entries[0][0];
}

/** A random rule-valid NID (ASCII digits) consistent with the given birth date / governorate / gender. */
export function randomValidNationalId(rng: () => number, opts: RandomNidOptions = {}): string {
  let birth = opts.birthDate;
  if (!birth) {
    const minY = opts.minYear ?? 1950;
    const maxY = opts.maxYear ?? 2008;
    const y = minY + Math.floor(rng() * (maxY - minY + 1));
    const m = 1 + Math.floor(rng() * 12);
    const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    const d = 1 + Math.floor(rng() * dim);
    birth = `${y}-${pad2(m)}-${pad2(d)}`;
  }
  const mt = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth);
  if (!mt) throw new Error('birthDate must be yyyy-mm-dd');
  const y = +mt[1];
  if (y < 1900 || y > 2099 || !isRealDate(y, +mt[2], +mt[3])) throw new Error('birthDate out of range');
  const c = y >= 2000 ? '3' : '2';
  const gg = opts.governorateCode ?? randomGovernorateCode(rng);
  if (!GOVERNORATES[gg]) throw new Error(`unknown governorate ${gg}`);
  const gender = opts.gender ?? (rng() < 0.5 ? 'male' : 'female');
  for (let tries = 0; tries < 1000; tries++) {
    // sequence: 3 digits, then the gender digit
    const seq = String(Math.floor(rng() * 1000)).padStart(3, '0');
    let g = Math.floor(rng() * 5) * 2; // 0,2,4,6,8
    if (gender === 'male') g += 1;
    const first13 = c + mt[1].slice(2) + mt[2] + mt[3] + gg + seq + g;
    const r = nidRemainder(first13);
    if (r === 1 && !opts.allowEdgeCase) continue;
    return first13 + String((11 - r) % 10);
  }
  throw new Error('could not generate a national ID');
}

/** Group a NID as printed on the front: "C YY MM DD GG SSS SK" (ASCII in, same digit form out). */
export function groupNationalId(nid: string): string {
  const d = Array.from(nid);
  if (d.length !== 14) return nid;
  const s = (a: number, b: number) => d.slice(a, b).join('');
  return [s(0, 1), s(1, 3), s(3, 5), s(5, 7), s(7, 9), s(9, 12), s(12, 14)].join(' ');
}

// ---------------------------------------------------------------------------------------------------
// Choosing among OCR alternatives

export interface DigitAlternative {
  /** One digit, ASCII or Eastern Arabic. */
  digit: string;
  /** Higher is better; treated as an unnormalised probability (normalised per position). */
  score: number;
}

export interface NidChoice {
  /** The chosen 14-digit number (ASCII). */
  idNumber: string;
  /** Whether the top-1 reading (best alternative at every position) was already a fully valid number. */
  topValid: boolean;
  /** The top-1 reading (ASCII; may be invalid). */
  topReading: string;
  /** Positions (0-based) where the chosen digit differs from the top-1 digit. */
  changedPositions: number[];
  /**
   * 0..1: posterior of the chosen number among the valid combinations found (per-position scores
   * normalised to probabilities, positions independent), times the chosen number's own probability
   * mass relative to the top-1 reading's — low when we had to go far from what was read.
   */
  confidence: number;
  /** Sum of log-probabilities of the chosen digits. */
  logScore: number;
  /** Number of valid combinations explored (at most `maxValid`). */
  validCandidates: number;
}

export interface ChooseOptions extends ParseOptions {
  /** Stop after this many valid complete numbers (for the confidence estimate). Default 32. */
  maxValid?: number;
  /** Search budget (partial states expanded). Default 200000. */
  maxExpansions?: number;
  /** Ignore alternatives whose normalised probability is below this. Default 1e-4. */
  minProb?: number;
}

interface Alt {
  d: number;
  lp: number;
}

/** Min-heap keyed on `f` (we push negatives to pop the best first). */
class Heap<T extends { f: number }> {
  private a: T[] = [];
  get size() {
    return this.a.length;
  }
  push(x: T) {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].f <= a[i].f) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].f < a[m].f) m = l;
        if (r < a.length && a[r].f < a[m].f) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Whether some valid national ID (as of `now`) starts with these ASCII digits. */
export function nidPrefixOk(prefix: string, now: Date = new Date()): boolean {
  return /^\d{0,14}$/.test(prefix) && prefixOk([...prefix].map(Number), todayIso(now));
}

/** Structural check of a prefix (cheap pruning); the full number is checked with parseNationalId. */
function prefixOk(p: number[], nowIso: string): boolean {
  const n = p.length;
  if (n >= 1 && p[0] !== 2 && p[0] !== 3) return false;
  if (n >= 4) {
    const m1 = p[3];
    if (m1 > 1) return false;
  }
  if (n >= 5) {
    const mm = p[3] * 10 + p[4];
    if (mm < 1 || mm > 12) return false;
  }
  if (n >= 6 && p[5] > 3) return false;
  if (n >= 7) {
    const y = (p[0] === 2 ? 1900 : 2000) + p[1] * 10 + p[2];
    const mm = p[3] * 10 + p[4];
    const dd = p[5] * 10 + p[6];
    if (!isRealDate(y, mm, dd)) return false;
    const iso = `${y}-${pad2(mm)}-${pad2(dd)}`;
    if (iso > nowIso) return false;
  }
  if (n >= 8) {
    const ok = GOVERNORATE_CODES.some((c) => +c[0] === p[7]);
    if (!ok) return false;
  }
  if (n >= 9 && !GOVERNORATES[`${p[7]}${p[8]}`]) return false;
  if (n === 14) {
    let s = 0;
    for (let i = 0; i < 13; i++) s += p[i] * NID_WEIGHTS[i];
    if (p[13] !== (11 - (s % 11)) % 10) return false;
  }
  return true;
}

/**
 * Given per-position digit alternatives from the OCR (14 positions, each a scored list), return the
 * highest-scoring *fully valid* number that uses only the offered alternatives (never inventing a
 * digit), or null if no valid combination exists or the input does not have 14 positions.
 * Exact best-first (A*) search with an admissible bound, pruned by the ID structure.
 */
export function chooseNationalId(candidates: Array<Array<DigitAlternative>>, opts: ChooseOptions = {}): NidChoice | null {
  if (!Array.isArray(candidates) || candidates.length !== 14) return null;
  const minProb = opts.minProb ?? 1e-4;
  const maxValid = opts.maxValid ?? 32;
  const maxExp = opts.maxExpansions ?? 200_000;
  const nowIso = todayIso(opts.now ?? new Date());

  // normalise per position; merge duplicate digits (keep the max score)
  const alts: Alt[][] = [];
  for (const pos of candidates) {
    const best = new Map<number, number>();
    for (const a of pos ?? []) {
      const ch = toAsciiDigits(String(a?.digit ?? '')).trim();
      if (!/^\d$/.test(ch)) continue;
      const sc = Number.isFinite(a.score) ? Math.max(0, a.score) : 0;
      const d = +ch;
      best.set(d, Math.max(best.get(d) ?? 0, sc));
    }
    if (best.size === 0) return null;
    let total = 0;
    for (const v of best.values()) total += v;
    const list: Alt[] = [];
    for (const [d, v] of best) {
      const p = total > 0 ? v / total : 1 / best.size;
      if (p < minProb && list.length > 0) continue;
      list.push({ d, lp: Math.log(Math.max(p, 1e-12)) });
    }
    list.sort((x, y) => y.lp - x.lp);
    alts.push(list);
  }
  const top = alts.map((l) => l[0].d);
  const topReading = top.join('');
  const topLp = alts.reduce((s, l) => s + l[0].lp, 0);
  // admissible bound: best achievable log-prob for the remaining positions
  const rest = new Array<number>(15).fill(0);
  for (let i = 13; i >= 0; i--) rest[i] = rest[i + 1] + alts[i][0].lp;

  type Node = { f: number; g: number; p: number[] };
  const heap = new Heap<Node>();
  heap.push({ f: -rest[0], g: 0, p: [] });
  const found: Array<{ digits: string; g: number }> = [];
  let expansions = 0;
  while (heap.size && found.length < maxValid && expansions < maxExp) {
    const node = heap.pop()!;
    if (node.p.length === 14) {
      found.push({ digits: node.p.join(''), g: node.g });
      continue;
    }
    expansions++;
    const i = node.p.length;
    for (const a of alts[i]) {
      const p = node.p.concat(a.d);
      if (!prefixOk(p, nowIso)) continue;
      const g = node.g + a.lp;
      heap.push({ f: -(g + rest[i + 1]), g, p });
    }
  }
  if (found.length === 0) return null;
  const best = found[0];
  // final authoritative check
  const parsed = parseNationalId(best.digits, opts);
  if (!parsed.valid) return null;
  let z = 0;
  for (const f of found) z += Math.exp(f.g - best.g);
  const posterior = 1 / z;
  const closeness = Math.exp(Math.min(0, best.g - topLp)); // 1 when the top reading itself is chosen
  const changedPositions: number[] = [];
  for (let i = 0; i < 14; i++) if (best.digits[i] !== topReading[i]) changedPositions.push(i);
  return {
    idNumber: best.digits,
    topValid: changedPositions.length === 0 || parseNationalId(topReading, opts).valid,
    topReading,
    changedPositions,
    confidence: Math.max(0, Math.min(1, posterior * Math.sqrt(closeness))),
    logScore: best.g,
    validCandidates: found.length,
  };
}
