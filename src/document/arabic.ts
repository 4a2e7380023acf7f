/**
 * Arabic text helpers for the document engine: normalisation for comparison/scoring, digit folding,
 * and character error rate.
 *
 * Two levels:
 *  - `cleanArabic(s)`: what the engine may *return* — NFC, no bidi controls, no tatweel/harakat,
 *    whitespace collapsed, letters otherwise as printed (cards print ى for final ي and ه for ة, keep that).
 *  - `normalizeArabic(s)` / `compareKey(s)`: for *comparison only* — additionally folds the letter
 *    variants that cards, OCR and people use interchangeably (أإآٱ→ا, ى→ي, ة→ه, ؤ→و, ئ→ي, ء dropped
 *    in the middle of words) and all digit forms to ASCII.
 */

/** Bidi and invisible format controls that OCR and copy-paste insert (LRM, RLM, ALM, embeddings, isolates, ZW*). */
const BIDI_RE = /[\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u00AD]/g;
/** Tatweel (kashida). */
const TATWEEL_RE = /\u0640/g;
/** Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, small high letters. */
const HARAKAT_RE = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u08D3-\u08FF]/g;

const EASTERN = '٠١٢٣٤٥٦٧٨٩';
const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';

/** Eastern Arabic (U+0660…) and Persian/Urdu (U+06F0…) digits → ASCII 0-9. Other characters unchanged. */
export function toAsciiDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0x0660 && c <= 0x0669) out += String.fromCharCode(48 + c - 0x0660);
    else if (c >= 0x06f0 && c <= 0x06f9) out += String.fromCharCode(48 + c - 0x06f0);
    else out += ch;
  }
  return out;
}

/** ASCII (and Persian) digits → Eastern Arabic digits ٠-٩ as printed on the card. */
export function toEasternDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) out += EASTERN[c - 48];
    else if (c >= 0x06f0 && c <= 0x06f9) out += EASTERN[c - 0x06f0];
    else out += ch;
  }
  return out;
}

/** Whether `s` contains Eastern Arabic or Persian digits. */
export function hasNonAsciiDigits(s: string): boolean {
  for (const ch of s) if (EASTERN.includes(ch) || PERSIAN.includes(ch)) return true;
  return false;
}

/** Remove bidi/format controls only. */
export function stripBidi(s: string): string {
  return s.replace(BIDI_RE, '');
}

/** Remove harakat (diacritics) and tatweel. */
export function stripDiacritics(s: string): string {
  return s.replace(HARAKAT_RE, '').replace(TATWEEL_RE, '');
}

/** Collapse all whitespace runs to one ASCII space and trim. */
export function collapseSpaces(s: string): string {
  return s.replace(/[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ').trim();
}

/**
 * Light clean-up for values the engine returns: NFC, bidi controls removed, Arabic presentation forms
 * folded (NFKC on U+FB50–U+FEFF only), harakat/tatweel removed, spaces collapsed, dash variants → '-'.
 * Letters and digit forms are kept as printed.
 */
export function cleanArabic(s: string): string {
  let t = stripBidi(s ?? '');
  // presentation forms (some OCR / PDF text) → base letters
  t = t.replace(/[\uFB50-\uFDFF\uFE70-\uFEFF]+/g, (m) => m.normalize('NFKC'));
  t = t.normalize('NFC');
  t = stripDiacritics(t);
  t = t.replace(/[\u2010-\u2015\u2212\u06D4]/g, '-');
  t = t.replace(/\s*-\s*/g, ' - ');
  return collapseSpaces(t);
}

/**
 * Normalise Arabic for comparison. Removes tatweel, harakat and bidi controls; unifies
 * أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي (and drops a lone ء), Persian/Urdu letter variants
 * (ک→ك, ی→ي, ہ/ە→ه); folds all digits to ASCII; normalises dashes and punctuation spacing;
 * collapses whitespace; NFC.
 */
export function normalizeArabic(s: string): string {
  let t = cleanArabic(s);
  t = t
    .replace(/[أإآٱ\u0672\u0673]/g, 'ا')
    .replace(/[ىی\u06CC]/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .replace(/[کڪ]/g, 'ك')
    .replace(/[ہەھ]/g, 'ه')
    .replace(/ء/g, '');
  t = toAsciiDigits(t);
  // unify Arabic comma / semicolon / question mark and separators used on cards
  t = t.replace(/،/g, ',').replace(/؛/g, ';').replace(/؟/g, '?');
  t = t.replace(/\s*([,;:/])\s*/g, '$1');
  return collapseSpaces(t).normalize('NFC');
}

/**
 * The key used for scoring (exact match / CER): `normalizeArabic`, plus the "عبد" compound folded
 * (عبدالله ≡ عبد الله), the definite article spacing after "ابو"/"ابن" unified, and punctuation other
 * than '-' and '/' dropped. Two strings that mean the same printed text should give the same key.
 */
export function compareKey(s: string): string {
  let t = normalizeArabic(s);
  t = t.replace(/[.,;:!?'"«»()\[\]{}_*]/g, ' ');
  t = t.replace(/(^|\s)عبد\s+(?=ال)/g, '$1عبد');
  t = t.replace(/(^|\s)(ابو|ابن|بن)\s+(?=ال)/g, '$1$2');
  t = t.replace(/\s*-\s*/g, '-').replace(/\s*\/\s*/g, '/');
  return collapseSpaces(t);
}

/** Levenshtein distance on Unicode code points. */
/** `substitution`: the cost of replacing one character by another (default 1; OCR-aware distances lower it). */
export function levenshtein(a: string, b: string, substitution: (x: string, y: string) => number = () => 1): number {
  const A = Array.from(a);
  const B = Array.from(b);
  if (A.length === 0) return B.length;
  if (B.length === 0) return A.length;
  let prev = new Array<number>(B.length + 1);
  let cur = new Array<number>(B.length + 1);
  for (let j = 0; j <= B.length; j++) prev[j] = j;
  for (let i = 1; i <= A.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= B.length; j++) {
      const cost = A[i - 1] === B[j - 1] ? 0 : substitution(A[i - 1]!, B[j - 1]!);
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[B.length];
}

/**
 * Character error rate of `hyp` against `ref`: Levenshtein distance of the `compareKey`s divided by the
 * reference key's length (code points). Empty reference: 0 if the hypothesis is empty too, else 1.
 * Pass `{ normalize: false }` to compare the raw strings.
 */
export function cer(hyp: string, ref: string, opts: { normalize?: boolean } = {}): number {
  const norm = opts.normalize !== false;
  const h = norm ? compareKey(hyp ?? '') : hyp ?? '';
  const r = norm ? compareKey(ref ?? '') : ref ?? '';
  const n = Array.from(r).length;
  if (n === 0) return Array.from(h).length === 0 ? 0 : 1;
  return levenshtein(h, r) / n;
}

/** Whether two strings are equal under `compareKey`. */
export function sameText(a: string, b: string): boolean {
  return compareKey(a) === compareKey(b);
}

/** Whether the string contains Arabic letters. */
export function hasArabic(s: string): boolean {
  return /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/.test(s);
}
