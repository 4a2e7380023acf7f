/**
 * The content of a synthetic card (CardSpec) and a seeded random generator for it.
 * All randomness comes from one seed, so `randomCardSpec(seed)` is reproducible.
 */
import { GOVERNORATES, randomGovernorateCode, randomValidNationalId, parseNationalId } from '../nid.js';
import { DISTRICTS, STREET_NAMES, VILLAGE_NAMES } from './places.js';
import { CHRISTIAN_NAMES, FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, SHARED_NAMES, type NameEntry } from './names.js';
import { Rng } from './rng.js';
import { TEXT_FONTS, HEADER_FONTS, availableFonts } from './fonts.js';
import { toEasternDigits } from '../arabic.js';

export type Gender = 'male' | 'female';

/** Visual style knobs (all drawn from the seed by randomCardSpec). */
export interface CardStyle {
  /** Font id for Arabic text lines (TEXT_FONTS). */
  textFont: string;
  /** Font id for the Eastern digits (ID number, dates) — TEXT_FONTS too. */
  digitFont: string;
  /** Font id for the calligraphic header (HEADER_FONTS). */
  headerFont: string;
  /** Text ink colour "#rrggbb". */
  ink: string;
  /** Global scale of text sizes (printer/variant differences), ~0.94–1.06. */
  textScale: number;
  /** Per-card hue/brightness variation of the printed background, −1..1. */
  tone: number;
  /** Phase seed of the guilloche patterns. */
  pattern: number;
  /** Max per-line position jitter as a fraction of the card (registration error). */
  jitter: number;
  /** Opacity of the eagle that overlaps the date of birth in the hologram panel (0..1). */
  dobEagle: number;
}

export interface CardSpec {
  seed: number;
  gender: Gender;
  /** Line 1 of the name block, as printed. */
  firstName: string;
  /** Line 2 (father, grandfather, family), as printed. */
  lastNames: string;
  /** Address line 1 and line 2 ("district - governorate"), as printed (Eastern digits). */
  address1: string;
  address2: string;
  /** Governorate of residence (printed at the end of address line 2), 2-digit code. */
  residenceGovernorate: string;
  /** National ID, 14 ASCII digits. */
  nid: string;
  /** yyyy-mm-dd, equals the date encoded in the NID. */
  birthDate: string;
  /** Serial: 2 Latin capitals + 7 digits. */
  idKey: string;
  /** Issue year/month "yyyy-mm" (the card prints only YYYY/MM). */
  releaseDate: string;
  /** Expiry "yyyy-mm-dd" (7 years after issue). */
  expiryDate: string;
  /** Back job line 1 (profession) and line 2 (employer / title; may be ''). */
  job: string;
  jobTitle: string;
  /** As printed: ذكر / أنثى. */
  genderText: string;
  religion: string;
  maritalStatus: string;
  /** Printed for some married women; null otherwise. */
  husbandName: string | null;
  /** Card version digit at the right of the expiry line. */
  version: string;
  /** Optional portrait image (any format sharp reads); default: a procedurally drawn face. */
  portrait?: Buffer;
  style: CardStyle;
}

export interface RandomSpecOptions {
  gender?: Gender;
  /** Probability that the card is already expired (default 0.08). */
  expiredRate?: number;
  /** "Today" for dates (default 2025-11-26, fixed so outputs do not drift with the clock). */
  today?: string;
  /** Restrict fonts (ids). */
  textFonts?: string[];
}

export const DEFAULT_TODAY = '2025-11-26';

const pad2 = (n: number) => String(n).padStart(2, '0');

type Faith = 'muslim' | 'christian';

/** Names typical of one community; a Christian card draws from CHRISTIAN_NAMES ∪ SHARED_NAMES. */
function allowed(ar: string, faith: Faith): boolean {
  if (faith === 'christian') return CHRISTIAN_NAMES.has(ar) || SHARED_NAMES.has(ar);
  return !CHRISTIAN_NAMES.has(ar);
}

function pickName(rng: Rng, list: readonly NameEntry[], faith: Faith = 'muslim'): NameEntry {
  const pool = list.filter((e) => (e[2] ?? 1) > 0 && allowed(e[0], faith));
  return rng.weighted((pool.length ? pool : list.filter((e) => (e[2] ?? 1) > 0)).map((e) => [e, e[2] ?? 1] as const));
}

/**
 * Apply the card printing conventions to standard Arabic spelling: hamza on a word-initial alef is
 * usually not printed (أحمد → احمد, إبراهيم → ابراهيم), final ي is printed ى (علي → على), and on some
 * cards final ة is printed ه. Words in `keep` (e.g. أعزب, أنثى) are left as they are.
 */
export function cardSpelling(s: string, opts: { taAsHa?: boolean; keepHamza?: boolean } = {}): string {
  return s
    .split(' ')
    .map((w) => {
      let t = w;
      if (!opts.keepHamza) t = t.replace(/^([وبلف]?)[أإآ]/, '$1ا').replace(/^(ال)[أإآ]/, '$1ا');
      t = t.replace(/ي$/, 'ى');
      if (opts.taAsHa) t = t.replace(/ة$/, 'ه');
      return t;
    })
    .join(' ');
}

export const JOBS: ReadonlyArray<readonly [male: string, female: string, weight: number, employers: readonly string[]]> = [
  ['طالب', 'طالبة', 8, []],
  ['موظف', 'موظفة', 6, ['وزارة التربية والتعليم', 'مديرية الصحة', 'الهيئة القومية للبريد', 'مصلحة الضرائب', 'وزارة الزراعة', 'مجلس مدينة']],
  ['مهندس', 'مهندسة', 3, ['شركة المقاولون العرب', 'الشركة المصرية للاتصالات', 'شركة مصر للبترول', 'القطاع الخاص', 'شركة السويدى للكابلات']],
  ['طبيب بشرى', 'طبيبة بشرية', 2, ['وزارة الصحة والسكان', 'مستشفى جامعة القاهرة', 'القطاع الخاص']],
  ['محاسب', 'محاسبة', 3, ['بنك مصر', 'البنك الأهلى المصرى', 'شركة مصر للطيران', 'القطاع الخاص']],
  ['مدرس', 'مدرسة', 4, ['وزارة التربية والتعليم', 'مدرسة خاصة']],
  ['محامى', 'محامية', 1.5, ['نقابة المحامين', '']],
  ['صيدلى', 'صيدلانية', 1, ['القطاع الخاص', 'وزارة الصحة والسكان']],
  ['ممرض', 'ممرضة', 1, ['وزارة الصحة والسكان']],
  ['عامل', 'عاملة', 4, ['القطاع الخاص', 'شركة الحديد والصلب', '']],
  ['سائق', 'سائقة', 2, ['هيئة النقل العام', '']],
  ['تاجر', 'تاجرة', 2, ['']],
  ['مزارع', 'مزارعة', 3, ['']],
  ['نجار', 'نجارة', 1, ['']],
  ['كهربائى', 'كهربائية', 1, ['']],
  ['فنى', 'فنية', 1.5, ['الشركة القابضة للكهرباء', 'القطاع الخاص']],
  ['بدون عمل', 'بدون عمل', 2, []],
  ['بالمعاش', 'بالمعاش', 1.5, []],
  ['مدير خدمة عملاء', 'مديرة خدمة عملاء', 1, ['شركة الحاسبات المتقدمة', 'شركة فودافون مصر', 'شركة اورنج مصر']],
  ['مبرمج', 'مبرمجة', 1, ['شركة تكنولوجيا المعلومات', 'القطاع الخاص']],
  ['حاصل على بكالوريوس تجارة', 'حاصلة على بكالوريوس تجارة', 2, []],
  ['حاصل على ليسانس حقوق', 'حاصلة على ليسانس حقوق', 1, []],
  ['حاصل على ليسانس اداب', 'حاصلة على ليسانس اداب', 1, []],
  ['حاصل على دبلوم صنايع', 'حاصلة على دبلوم تجارة', 2, []],
  ['اخصائى اجتماعى', 'اخصائية اجتماعية', 1, ['وزارة التضامن الاجتماعى', 'وزارة التربية والتعليم']],
  ['ضابط', 'ضابط', 0.5, ['وزارة الداخلية']],
];

const RELIGION: Record<Gender, readonly [string, string]> = { male: ['مسلم', 'مسيحى'], female: ['مسلمة', 'مسيحية'] };
const MARITAL: Record<Gender, { single: string; married: string; divorced: string; widowed: string }> = {
  male: { single: 'أعزب', married: 'متزوج', divorced: 'مطلق', widowed: 'أرمل' },
  // ("آنسة" for single women is an assumption; no female single back side in the data.)
  female: { single: 'آنسة', married: 'متزوجة', divorced: 'مطلقة', widowed: 'أرملة' },
};
const GENDER_TEXT: Record<Gender, string> = { male: 'ذكر', female: 'أنثى' };

function randomDate(rng: Rng, from: string, to: string): string {
  const a = Date.parse(from + 'T00:00:00Z');
  const b = Date.parse(to + 'T00:00:00Z');
  const t = a + Math.floor(rng.next() * Math.max(1, b - a + 1));
  return new Date(t).toISOString().slice(0, 10);
}

function isoAddDays(iso: string, days: number): string {
  return new Date(Date.parse(iso + 'T00:00:00Z') + days * 86400000).toISOString().slice(0, 10);
}

function randomLastNames(rng: Rng, n: number, faith: Faith): string[] {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const isFamily = i === n - 1 && rng.bool(0.45);
    let e = pickName(rng, isFamily ? FAMILY_NAMES : MALE_NAMES, faith)[0];
    // avoid the same name twice in a row
    for (let k = 0; k < 3 && parts.length && e === parts[parts.length - 1] && rng.bool(0.8); k++) e = pickName(rng, MALE_NAMES, faith)[0];
    parts.push(e);
  }
  return parts;
}

/** Neighbourhood names used after a street in address line 1. */
const AREAS = ['الحي الاول', 'الحي الثاني', 'الحي الثالث', 'مساكن الشباب', 'حي السلام', 'المنطقة الاولى', 'المنطقة الثانية', 'الحي الشرقي', 'الحي الغربي', 'حي الزهور', 'الحي الرابع', 'الحي السابع', 'المجاورة الثالثة', 'مساكن الضباط', 'عزبة النخل'];

function randomAddress(rng: Rng, gov: string, taAsHa: boolean): { line1: string; line2: string } {
  const districts = DISTRICTS[gov] ?? DISTRICTS['01'];
  const d = rng.pick(districts);
  const n = () => toEasternDigits(String(rng.int(1, rng.bool(0.7) ? 60 : 250)));
  const street = rng.pick(STREET_NAMES)[0];
  const village = rng.pick(VILLAGE_NAMES)[0];
  const rural = d.kind === 'markaz' && rng.bool(0.55);
  let line1: string;
  if (rural) {
    line1 = rng.weighted([
      [`قرية ${village}`, 4],
      [`عزبة ${village}`, 1.5],
      [`كفر ${village}`, 1],
      [`${n()} شارع ${street} - ${village}`, 1.5],
      [`ناحية ${village}`, 1],
    ]);
  } else {
    line1 = rng.weighted([
      [`${n()} شارع ${street}`, 5],
      [`${n()} ش ${street}`, 3],
      [`${n()} شارع ${street} - ${rng.pick(AREAS)}`, 1.5],
      [`ع ${n()} الحى ${rng.pick(['الاول', 'الثانى', 'الثالث', 'الرابع', 'الخامس'])} - المجاورة ${rng.pick(['الاولى', 'الثانية', 'الثالثة', 'الرابعة'])}`, 1],
      [`فيلا ${n()} مجموعة ${toEasternDigits(String(rng.int(1, 9)))} - ${rng.pick(['مدينتي', 'الرحاب', 'الحي الاول', 'الحي الثاني', 'المنطقة الاولى'])}`, 0.6],
      [`برج ${n()} - ${street}`, 0.7],
      [`${n()} عمارات ${street}`, 0.6],
    ]);
  }
  const prefix = d.kind === 'markaz' ? (rng.bool(0.7) ? 'مركز ' : '') : d.kind === 'qism' ? (rng.bool(0.35) ? 'قسم ' : '') : '';
  const govAr = GOVERNORATES[gov].ar;
  const spell = (s: string) => cardSpelling(s, { taAsHa });
  // the governorate keeps its card spelling (already with ه)
  return { line1: spell(line1), line2: `${spell(prefix + d.ar)} - ${govAr}` };
}

function weightedFont(rng: Rng, ids?: string[], forDigits = false) {
  let list = availableFonts(TEXT_FONTS).filter((f) => !forDigits || f.digits);
  if (ids?.length && list.some((f) => ids.includes(f.id))) list = list.filter((f) => ids.includes(f.id));
  if (list.length === 0) throw new Error('no Arabic fonts installed (see .ci/apt-packages-document.txt)');
  return rng.weighted(list.map((f) => [f, f.weight] as const));
}

/** Draw a random, rule-consistent card. `seed` may be a number or an Rng. */
export function randomCardSpec(seed: number | Rng, opts: RandomSpecOptions = {}): CardSpec {
  const rng = typeof seed === 'number' ? new Rng(seed) : seed;
  const specSeed = typeof seed === 'number' ? seed : Math.floor(rng.next() * 2 ** 31);
  const today = opts.today ?? DEFAULT_TODAY;
  const gender: Gender = opts.gender ?? (rng.bool(0.5) ? 'male' : 'female');
  const taAsHa = rng.bool(0.4);

  // birth: 16+ years old at issue; issue date ≥ 2010 (the current card design)
  const birthDate = randomDate(rng, '1950-01-01', isoAddDays(`${+today.slice(0, 4) - 16}-${today.slice(5)}`, -60));
  const residence = randomGovernorateCode(rng.next);
  const birthGov = rng.bool(0.75) ? residence : randomGovernorateCode(rng.next);
  const nid = randomValidNationalId(() => rng.next(), { birthDate, governorateCode: birthGov, gender });
  const parsed = parseNationalId(nid, { now: new Date(today + 'T00:00:00Z') });
  if (!parsed.valid) throw new Error('internal: generated an invalid NID');

  const by = +birthDate.slice(0, 4);
  const earliest = `${Math.max(2010, by + 16)}-${birthDate.slice(5, 7)}-01`;
  // valid 7 years: a card issued before (today − 7 y) has expired
  const cutoff = `${+today.slice(0, 4) - 7}-${today.slice(5, 7)}-01`;
  const lastIssue = isoAddDays(today, -20);
  const expired = rng.bool(opts.expiredRate ?? 0.08) && earliest < cutoff;
  const release = expired ? randomDate(rng, earliest, isoAddDays(cutoff, -40)) : randomDate(rng, earliest > cutoff ? earliest : isoAddDays(cutoff, 40), lastIssue);
  const releaseDate = release.slice(0, 7);
  const expiryDate = `${+release.slice(0, 4) + 7}-${release.slice(5, 7)}-${pad2(rng.int(1, 28))}`;

  const faith: Faith = rng.bool(0.9) ? 'muslim' : 'christian';
  const firstStd = pickName(rng, gender === 'male' ? MALE_NAMES : FEMALE_NAMES, faith)[0];
  const nLast = rng.weighted([[3, 7], [2, 1], [4, 2]] as const);
  const lastStd = randomLastNames(rng, nLast, faith).join(' ');
  const spellName = (s: string) => cardSpelling(s, { taAsHa });
  const { line1, line2 } = randomAddress(rng, residence, taAsHa);

  const age = +release.slice(0, 4) - by;
  const jobEntry = age < 23 && rng.bool(0.7) ? JOBS[0] : rng.weighted(JOBS.map((j) => [j, j[2]] as const));
  let job = gender === 'male' ? jobEntry[0] : jobEntry[1];
  if (gender === 'female' && rng.bool(0.15) && age > 22) job = 'ربة منزل';
  const jobTitle = jobEntry[3].length && job !== 'ربة منزل' && rng.bool(0.6) ? rng.pick(jobEntry[3]) : '';

  const religion = RELIGION[gender][faith === 'muslim' ? 0 : 1];
  const m = MARITAL[gender];
  const marital =
    age < 21 ? m.single : rng.weighted([[m.single, age < 30 ? 4 : 1], [m.married, age < 30 ? 3 : 7], [m.divorced, 0.6], [m.widowed, age > 50 ? 1.2 : 0.2]] as const);
  let husbandName: string | null = null;
  if (gender === 'female' && marital === m.married && rng.bool(0.6)) {
    husbandName = spellName([pickName(rng, MALE_NAMES, faith)[0], ...randomLastNames(rng, rng.int(2, 3), faith)].join(' '));
  }

  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const idKey = rng.pick(letters.split('')) + rng.pick(letters.split('')) + String(rng.int(0, 9999999)).padStart(7, '0');

  const textFont = weightedFont(rng, opts.textFonts);
  const digitFont = textFont.digits && rng.bool(0.7) ? textFont : weightedFont(rng, opts.textFonts?.length ? opts.textFonts : undefined, true);
  const headers = availableFonts(HEADER_FONTS);
  const headerFont = headers.length ? rng.weighted(headers.map((f) => [f, f.weight] as const)).id : textFont.id;
  const inkL = rng.int(18, 40);
  const style: CardStyle = {
    textFont: textFont.id,
    digitFont: digitFont.id,
    headerFont,
    ink: '#' + [inkL, inkL - rng.int(0, 6), inkL - rng.int(0, 10)].map((v) => Math.max(0, v).toString(16).padStart(2, '0')).join(''),
    textScale: rng.uniform(1.08, 1.2),
    tone: rng.uniform(-1, 1),
    pattern: rng.int(0, 1e6),
    jitter: rng.uniform(0.001, 0.004),
    dobEagle: rng.uniform(0.35, 0.85),
  };

  return {
    seed: specSeed,
    gender,
    firstName: spellName(firstStd),
    lastNames: spellName(lastStd),
    address1: line1,
    address2: line2,
    residenceGovernorate: residence,
    nid,
    birthDate,
    idKey,
    releaseDate,
    expiryDate,
    job: cardSpelling(job, { taAsHa }),
    jobTitle: cardSpelling(jobTitle, { taAsHa }),
    genderText: GENDER_TEXT[gender],
    religion,
    maritalStatus: marital,
    husbandName,
    version: '1',
    style,
  };
}
