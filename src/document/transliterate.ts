/**
 * Arabic → Latin transliteration tuned for Egyptian names and addresses, the way Egyptians write them
 * in English (passports, bank records): محمد → Mohamed, أحمد → Ahmed, عبد الرحمن → Abdelrahman,
 * عبد الله → Abdallah, مصطفى → Mostafa, السيد → Elsayed, ج → g (Gamal), ق → k (Tarek), …
 *
 * 1. Dictionary of common Egyptian given names, family names and particles (src/document/synth/names.ts),
 *    looked up spelling-insensitively (hamza forms, ى/ي, ة/ه, "عبدالله" ≡ "عبد الله").
 * 2. Compounds: "عبد ال…" → "Abdel…" joined (عبد الحميد → Abdelhamid), "عبد X" → "AbdX";
 *    "… الدين" → "… Eldin"; "X الله" → "Xallah"; "ابو X" → "Abou X".
 * 3. The article ال → "El" joined to the word in names (السيد → Elsayed, الشافعي → Elshafei) and as a
 *    separate "El " in place names (الدقي → Dokki via the place table, else "El Xxx").
 * 4. Otherwise a rule-based fallback with Egyptian consonant values and a vowel-insertion heuristic.
 *
 * Addresses additionally use the governorate/district/street tables (src/document/synth/places.ts)
 * and translate generic address words (شارع → St., مركز → Markaz, قرية → Village, …); digits → ASCII.
 */
import { cleanArabic, toAsciiDigits } from './arabic.js';
import { GOVERNORATES } from './nid.js';
import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, NAME_PARTICLES } from './synth/names.js';
import { ADDRESS_WORDS, DISTRICTS, STREET_NAMES, VILLAGE_NAMES } from './synth/places.js';

/** Spelling-insensitive key of one word or a compound (spaces removed). */
export function nameKey(s: string): string {
  return cleanArabic(s)
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .replace(/\s+/g, '');
}

function buildDict(lists: ReadonlyArray<ReadonlyArray<readonly [string, string, number?]>>): Map<string, string> {
  const m = new Map<string, string>();
  for (const list of lists) for (const [ar, en] of list) if (!m.has(nameKey(ar))) m.set(nameKey(ar), en);
  return m;
}

/** Extra spellings and names used only for transliteration (not drawn by the generator). */
const EXTRA_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['عبدالله', 'Abdallah'], ['عبد اللة', 'Abdallah'], ['محمدي', 'Mohamady'], ['احمدي', 'Ahmady'], ['حسنين', 'Hassanein'],
  ['حسونة', 'Hassouna'], ['عويس', 'Owais'], ['ابوالعلا', 'Abou Elela'], ['ابوزيد', 'Abou Zeid'], ['سيدة', 'Sayeda'],
  ['السيدة', 'Elsayeda'], ['ست', 'Set'], ['ستيت', 'Steit'], ['زكية', 'Zakia'], ['بهية', 'Bahia'], ['صباح', 'Sabah'],
  ['فتحية', 'Fathia'], ['نبوية', 'Nabawia'], ['انشراح', 'Ensherah'], ['توحيدة', 'Tawhida'], ['حميدة', 'Hamida'],
  ['سعدية', 'Saadia'], ['عزيزة', 'Aziza'], ['حورية', 'Horia'], ['رضا', 'Reda'], ['كرم', 'Karam'], ['مصيلحي', 'Mesilhy'],
  ['الحسيني', 'Elhosseiny'], ['الحسين', 'Elhussein'], ['حسيني', 'Hosseiny'], ['دسوقي', 'Desouky'], ['شاذلي', 'Shazly'],
  ['الزيني', 'Elzeiny'], ['الزين', 'Elzein'], ['مرسى', 'Morsy'], ['عيسي', 'Eissa'], ['موسي', 'Moussa'], ['يحيي', 'Yehia'],
];

const NAME_DICT = buildDict([NAME_PARTICLES, MALE_NAMES, FEMALE_NAMES, FAMILY_NAMES, EXTRA_NAMES]);

/** Number of distinct dictionary keys (names and particles). */
export const NAME_DICTIONARY_SIZE = NAME_DICT.size;

/** Look up a name (word or compound) in the dictionary. */
export function lookupName(ar: string): string | undefined {
  return NAME_DICT.get(nameKey(ar));
}

// ---------------------------------------------------------------------------------------------------
// Rule-based fallback for one word (no article)

const CONS: Record<string, string> = {
  'ب': 'b', 'ت': 't', 'ث': 'th', 'ج': 'g', 'ح': 'h', 'خ': 'kh', 'د': 'd', 'ذ': 'z', 'ر': 'r', 'ز': 'z', 'س': 's',
  'ش': 'sh', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z', 'غ': 'gh', 'ف': 'f', 'ق': 'k', 'ك': 'k', 'ل': 'l', 'م': 'm',
  'ن': 'n', 'ه': 'h', 'پ': 'p', 'چ': 'ch', 'ڤ': 'v', 'گ': 'g', 'ک': 'k',
};
const LONG_VOWEL_LETTERS = new Set(['ا', 'ى', 'ة', 'آ']);

function isConsonantAt(L: string[], i: number): boolean {
  const ch = L[i];
  if (ch === undefined) return false;
  if (CONS[ch]) return true;
  if (ch === 'ع' || ch === 'غ') return true;
  // و / ي act as consonants at the start of a word or before a long vowel
  if (ch === 'و' || ch === 'ي') return i === 0 || LONG_VOWEL_LETTERS.has(L[i + 1] ?? '');
  return false;
}

/** Rule-based transliteration of one bare Arabic word (lower case, no capitalisation). */
export function fallbackWord(word: string): string {
  const L = Array.from(cleanArabic(word).replace(/[^\u0621-\u064A\u067E\u0686\u06A4\u06AF\u06A9\u0660-\u0669\u06F0-\u06F90-9]/g, ''));
  const n = L.length;
  if (n === 0) return toAsciiDigits(word);
  let out = '';
  let prevInserted = false; // a short vowel was inserted after the previous consonant
  let prevLongA = false; // previous letter was a long ā
  for (let i = 0; i < n; i++) {
    const ch = L[i];
    const next = L[i + 1];
    const first = i === 0;
    const last = i === n - 1;
    let piece = '';
    let consonant = false;
    if (/[0-9٠-٩۰-۹]/.test(ch)) {
      piece = toAsciiDigits(ch);
    } else if (ch === 'ا' || ch === 'آ') {
      piece = first ? 'a' : out.endsWith('a') && prevInserted ? '' : 'a';
    } else if (ch === 'أ') {
      piece = first ? 'a' : 'a';
    } else if (ch === 'إ') {
      piece = 'e';
    } else if (ch === 'ء') {
      piece = L[i - 1] === 'ا' ? 'a' : '';
    } else if (ch === 'ئ') {
      piece = 'e';
    } else if (ch === 'ؤ') {
      piece = 'ou';
    } else if (ch === 'ع') {
      if (next === 'ي' && !LONG_VOWEL_LETTERS.has(L[i + 2] ?? '')) piece = 'e';
      else piece = 'a';
      consonant = false;
    } else if (ch === 'و') {
      if (isConsonantAt(L, i) || L[i - 1] === 'ع' || (L[i - 1] === 'ا' && !first)) {
        piece = 'w';
        consonant = true;
      } else piece = last && n <= 3 && L[i - 1] === 'ر' ? '' : 'ou';
    } else if (ch === 'ي') {
      if (isConsonantAt(L, i)) {
        piece = 'y';
        consonant = true;
      } else if (last) piece = 'y';
      else if (L[i - 1] === 'ا') {
        piece = 'y';
        consonant = true;
      } else piece = 'i';
    } else if (ch === 'ى') {
      // cards print final ي as ى: short words (منى، هدى، ندى) end in -a, longer unknown words are
      // mostly nisba adjectives / family names (طنطاوى، البحرى) ending in -y
      piece = last ? (n <= 3 ? 'a' : 'y') : 'y';
    } else if (ch === 'ة') {
      piece = last ? 'a' : 'at';
    } else if (ch === 'ه' && last && n > 2 && !LONG_VOWEL_LETTERS.has(L[i - 1])) {
      piece = 'a';
    } else if (CONS[ch]) {
      piece = CONS[ch];
      consonant = true;
    }
    // do not write the "aa" of ع+ا twice at the start
    if (piece === 'a' && ch === 'ا' && L[i - 1] === 'ع' && out.endsWith('a')) piece = '';
    out += piece;
    if (consonant && !last && isConsonantAt(L, i + 1) && (!prevInserted || n <= 3)) {
      out += prevLongA ? 'e' : 'a';
      prevInserted = true;
    } else prevInserted = false;
    prevLongA = ch === 'ا' && !first;
  }
  return out.replace(/aaa+/g, 'aa').replace(/([^aeiou])\1\1+/g, '$1$1');
}

const cap = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
const lc = (s: string) => s.toLowerCase();

/** Transliterate one name token (may start with ال). */
function nameToken(tok: string): string {
  const d = lookupName(tok);
  if (d) return d;
  const k = nameKey(tok);
  if (k.startsWith('ال') && k.length > 2) {
    const rest = k.slice(2);
    const dr = NAME_DICT.get(rest);
    return 'El' + lc((dr ?? fallbackWord(rest)).replace(/\s+/g, ''));
  }
  // glued compounds: عبدالجليل, ابوالخير
  if (k.startsWith('عبدال') && k.length > 5) return nameGroup(['عبد', k.slice(3)]);
  if (k.startsWith('ابوال') && k.length > 5) return nameGroup(['ابو', k.slice(3)]);
  if (/^[0-9٠-٩۰-۹]+$/.test(tok)) return toAsciiDigits(tok);
  if (!/[\u0600-\u06FF]/.test(tok)) return tok;
  return cap(fallbackWord(tok));
}

/** Group tokens into compounds (عبد X, ابو X, X الدين, X الله). */
function groupCompounds(tokens: string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const k = nameKey(t);
    const next = tokens[i + 1];
    if ((k === 'عبد' || k === 'ابو' || k === 'ام' || k === 'بو') && next !== undefined && next !== '-') {
      groups.push([t, next]);
      i++;
      continue;
    }
    if (next !== undefined && (nameKey(next) === 'الدين' || nameKey(next) === 'الله' || nameKey(next) === 'اللة') && k !== 'عبد') {
      groups.push([t, next]);
      i++;
      continue;
    }
    groups.push([t]);
  }
  return groups;
}

function nameGroup(g: string[]): string {
  const d = lookupName(g.join(' '));
  if (d) return d;
  if (g.length === 1) return nameToken(g[0]);
  const [a, b] = g;
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (ka === 'عبد') {
    if (kb === 'الله' || kb === 'اللة') return 'Abdallah';
    if (kb.startsWith('ال')) {
      const rest = kb.slice(2);
      return 'Abdel' + lc((NAME_DICT.get(rest) ?? fallbackWord(rest)).replace(/\s+/g, ''));
    }
    return 'Abd' + lc(nameToken(b).replace(/\s+/g, ''));
  }
  if (ka === 'ابو' || ka === 'بو') return 'Abou ' + nameToken(b);
  if (ka === 'ام') return 'Om ' + nameToken(b);
  if (kb === 'الدين') return nameToken(a) + ' Eldin';
  if (kb === 'الله' || kb === 'اللة') return nameToken(a).replace(/a$/, '') + 'allah';
  return g.map(nameToken).join(' ');
}

/** Split into words, keeping "-" and "/" as separate tokens; digits folded to ASCII later. */
function tokenize(s: string): string[] {
  return cleanArabic(s)
    .replace(/([\-/،,.()])/g, ' $1 ')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Transliterate an Egyptian personal name (one or several words) to Latin script, Egyptian style.
 * "محمد عبد الرحمن السيد" → "Mohamed Abdelrahman Elsayed".
 */
export function transliterateName(ar: string): string {
  const tokens = tokenize(ar).filter((t) => !/^[.,،()]$/.test(t));
  if (tokens.length === 0) return '';
  return groupCompounds(tokens)
    .map((g) => (g.length === 1 && (g[0] === '-' || g[0] === '/') ? g[0] : nameGroup(g)))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------
// Places

const PLACE_DICT = new Map<string, string>();
function addPlace(ar: string, en: string) {
  const k = nameKey(ar);
  if (!PLACE_DICT.has(k)) PLACE_DICT.set(k, en);
}
for (const g of Object.values(GOVERNORATES)) {
  addPlace(g.ar, g.en);
  addPlace(g.arStandard, g.en);
}
// common alternative spellings of governorates
for (const [ar, en] of [
  ['محافظة القاهرة', 'Cairo Governorate'], ['الإسكندريه', 'Alexandria'], ['اسكندرية', 'Alexandria'], ['بور سعيد', 'Port Said'],
  ['القليوبية', 'Qalyubia'], ['بني سويف', 'Beni Suef'], ['بنى سويف', 'Beni Suef'], ['الاقصر', 'Luxor'], ['مرسى مطروح', 'Marsa Matrouh'],
] as const)
  addPlace(ar, en);
for (const list of Object.values(DISTRICTS)) for (const d of list) addPlace(d.ar, d.en);
for (const [ar, en] of STREET_NAMES) addPlace(ar, en);
for (const [ar, en] of VILLAGE_NAMES) addPlace(ar, en);

/** English name of a governorate given its Arabic name (any common spelling) or 2-digit code. */
export function governorateEnglish(arOrCode: string): string | undefined {
  const code = toAsciiDigits(arOrCode ?? '').trim();
  if (/^\d{2}$/.test(code)) return GOVERNORATES[code]?.en;
  const k = nameKey(arOrCode ?? '');
  for (const g of Object.values(GOVERNORATES)) if (nameKey(g.ar) === k || nameKey(g.arStandard) === k) return g.en;
  const kk = k.replace(/^محافظه/, '');
  for (const g of Object.values(GOVERNORATES)) if (nameKey(g.ar) === kk || nameKey(g.arStandard) === kk) return g.en;
  return undefined;
}

/** English name of a known district/city/street/village (or governorate), if in the tables. */
export function placeEnglish(ar: string): string | undefined {
  return PLACE_DICT.get(nameKey(ar));
}

const ORDINALS = new Map<string, string>(
  (
    [
      ['الاول', '1st'], ['الاولى', '1st'], ['الثاني', '2nd'], ['الثانيه', '2nd'], ['الثالث', '3rd'], ['الثالثه', '3rd'],
      ['الرابع', '4th'], ['الرابعه', '4th'], ['الخامس', '5th'], ['الخامسه', '5th'], ['السادس', '6th'], ['السادسه', '6th'],
      ['السابع', '7th'], ['السابعه', '7th'], ['الثامن', '8th'], ['الثامنه', '8th'], ['التاسع', '9th'], ['التاسعه', '9th'],
      ['العاشر', '10th'], ['العاشره', '10th'],
    ] as const
  ).map(([k, v]) => [nameKey(k), v]),
);

const ADDR_WORDS = new Map<string, string>(Object.entries(ADDRESS_WORDS).map(([k, v]) => [nameKey(k), v]));

function placeToken(tok: string): string {
  if (/^[0-9٠-٩۰-۹]+$/.test(tok)) return toAsciiDigits(tok);
  if (!/[\u0600-\u06FF]/.test(tok)) return toAsciiDigits(tok);
  const k = nameKey(tok);
  const w = ADDR_WORDS.get(k);
  if (w) return w;
  const p = PLACE_DICT.get(k);
  if (p) return p;
  // digits glued to letters ("ع٦٩")
  const m = /^([^0-9٠-٩۰-۹]+)([0-9٠-٩۰-۹]+)$/.exec(tok) ?? /^([0-9٠-٩۰-۹]+)([^0-9٠-٩۰-۹]+)$/.exec(tok);
  if (m) return `${placeToken(m[1])} ${placeToken(m[2])}`;
  if (k.startsWith('ال') && k.length > 2) {
    const rest = k.slice(2);
    const r = ADDR_WORDS.get('ال' + rest) ?? PLACE_DICT.get(rest) ?? NAME_DICT.get(rest);
    return 'El ' + cap(r ?? fallbackWord(rest));
  }
  const d = NAME_DICT.get(k);
  if (d) return d;
  return cap(fallbackWord(tok));
}

/**
 * Transliterate a printed address (one or both lines). Known places use their English names, generic
 * words are translated, names of people (street names) use the name dictionary, digits become ASCII.
 * "مركز البدرشين - الجيزه" → "Markaz El Badrashein - Giza".
 */
export function transliterateAddress(ar: string): string {
  const tokens = tokenize(ar);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    if (t === '-' || t === '/' || t === ',' || t === '،' || t === '.' || t === '(' || t === ')') {
      out.push(t === '،' ? ',' : t);
      i++;
      continue;
    }
    // longest multi-word place match (up to 4 words)
    let matched = false;
    for (let len = Math.min(4, tokens.length - i); len >= 2; len--) {
      const span = tokens.slice(i, i + len);
      if (span.some((s) => /^[-/,،.()]$/.test(s))) continue;
      const p = PLACE_DICT.get(nameKey(span.join(' ')));
      const nm = p ? undefined : lookupName(span.join(' '));
      if (p || nm) {
        out.push((p ?? nm)!);
        i += len;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    // "عبد ال…" inside street names
    if (nameKey(t) === 'عبد' && i + 1 < tokens.length) {
      out.push(nameGroup([t, tokens[i + 1]]));
      i += 2;
      continue;
    }
    // "<noun> <ordinal>" → "<ordinal> <noun>" (الحى الاول → 1st District)
    const ord = i + 1 < tokens.length ? ORDINALS.get(nameKey(tokens[i + 1])) : undefined;
    if (ord && ADDR_WORDS.has(nameKey(t.replace(/^ال/, ''))) || (ord && ADDR_WORDS.has(nameKey(t)))) {
      out.push(`${ord} ${ADDR_WORDS.get(nameKey(t)) ?? ADDR_WORDS.get(nameKey(t.replace(/^ال/, '')))}`);
      i += 2;
      continue;
    }
    out.push(ORDINALS.get(nameKey(t)) ?? placeToken(t));
    i++;
  }
  return out
    .join(' ')
    .replace(/\s+([,.)])/g, '$1')
    .replace(/\(\s+/g, '(')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}
