/**
 * Reads the printed fields off an upright canonical card: Arabic lines through tesseract (TextReader),
 * numbers through the glyph reader, each with a confidence. Pure reading; checks live in checks.ts.
 */
import { compareKey, levenshtein, toEasternDigits } from './arabic.js';
import { BACK_BOXES, FRONT_BOXES, toPixels, type Box, type PixelBox } from './layout.js';
import { crop, inkThreshold, padWhite, type RawImage } from './image.js';
import { chooseNationalId, nidPrefixOk, plausibleHolderAge, type NidChoice } from './nid.js';
import { loadDigitTemplates, loadLatinTemplates, readDigitLine, type DigitAlternative, type DigitLine, type ReadGlyph } from './ocr/digits.js';
import { loadDigitNet } from './ocr/digit-net.js';
import { constrainedReading, lineProbabilities, linePlane, loadLineNet, readLine } from './ocr/line-net.js';
import { prepareLine, type LineVariant, type PreparedLine, type TextLine, type TextReader } from './ocr/text.js';
import { placeLexicon } from './lexicon.js';

/** Below this a text field or date is reported as unsure (5008, 3008/3009) instead of being trusted silently. */
export const TEXT_MIN_CONFIDENCE = 0.85;

export interface FieldValue {
  value: string | null;
  /** 0..1 */
  confidence: number;
}

/** The expiry line is Arabic text ending (on the left) in the LTR date: read only the date part. */
export const BACK_EXPIRY_DATE_BOX: Box = { x: BACK_BOXES.expiry.x, y: BACK_BOXES.expiry.y, w: 0.3, h: BACK_BOXES.expiry.h };

/** Back text ends at x ≈ .785 and the coat of arms starts right after: keep it out of text crops. */
export function clipBackText(box: Box): Box {
  const right = Math.min(box.x + box.w, 0.8);
  return { ...box, w: right - box.x };
}

export function pixelBox(box: Box, card: RawImage): PixelBox {
  return toPixels(box, card.width, card.height);
}

export interface IdReading {
  /** The glyph reader's line (its glyph count and raw text describe the line also when the line network read it). */
  line: DigitLine;
  choice: NidChoice | null;
  /** Chosen number (valid) or null. */
  idNumber: string | null;
  confidence: number;
}

/** Reads the 14-digit NID from a box, choosing the best structurally valid number among glyph alternatives. */
export async function readIdNumber(card: RawImage, box: Box, now: Date): Promise<IdReading> {
  const img = crop(card, pixelBox(box, card));
  let best = await readIdLine(img, now, 1);
  if (best.confidence >= ID_RETRY_BELOW) return best;
  // Only a line that looks like the number (not the wrong side or orientation) is worth another glyph read.
  if (Math.abs(best.line.glyphs.length - 14) > 4) return best;
  // Blur joins digits and thin print breaks them: read again with thinner and thicker ink. A read that found no
  // valid number may take the most certain one of the others; a number already chosen can only be confirmed, not
  // replaced (thin ink changes shapes, and another valid number from it is no better evidence than the first).
  const first = best.idNumber;
  for (const thresholdScale of ID_RETRY_THRESHOLDS) {
    const again = await readIdLine(img, now, thresholdScale);
    if (again.confidence > best.confidence && (!first || again.idNumber === first)) best = again;
    if (best.confidence >= ID_RETRY_BELOW) break;
  }
  return best;
}

/**
 * A line-network reading at least this confident stands in for the glyph reader's (and is trusted: it is the
 * trust threshold, ID_MIN_CONFIDENCE); a less confident one is ignored rather than reported as unsure, since the
 * network reads any line, also on the wrong side or upside down, and an unsure number would end the orientation
 * search. With true corners (eval set, 842 captures; a separately generated set, seed 3, 800), no wrong number
 * reached it; the highest wrong one was 0.51 (glare had faded two digits into others, and the network was sure).
 */
const LINE_NET_TRUST = 0.8;

/**
 * The line network, which does not segment, reads the whole number line too (withLineNet). When the glyph reader
 * (readIdNumber) could not read the number with confidence (blur joins digits into one blob, glare breaks them),
 * a confident network reading replaces the glyph reader's (none, or an unsure one). When both read the same
 * number, the surer confidence counts. When both are sure of different numbers, neither is trusted: on a
 * separately generated set (seed 3), a sure glyph reading with two digits wrong (the check digit among them) was
 * returned as trusted, while the network read the number right. Separate from readIdNumber because the engine
 * runs it only on the likeliest orientations.
 */
export async function withLineNet(best: IdReading, card: RawImage, box: Box, now: Date): Promise<IdReading> {
  return mergeLineNet(best, await readIdLineByNet(crop(card, pixelBox(box, card)), now));
}

/** withLineNet's choice between the glyph reader's reading and a line-network reading already made. */
export function mergeLineNet(best: IdReading, byNet: { idNumber: string; confidence: number } | null): IdReading {
  if (!byNet || byNet.confidence < LINE_NET_TRUST) return best;
  if (best.idNumber === byNet.idNumber) return { ...best, confidence: Math.max(best.confidence, byNet.confidence) };
  if (best.confidence >= LINE_NET_TRUST) return { ...best, confidence: Math.min(best.confidence, DISAGREEMENT_CONFIDENCE) };
  return { ...best, choice: null, idNumber: byNet.idNumber, confidence: byNet.confidence };
}

/**
 * The ID line networks' valid number: the number both networks (line-net.ts LINE_NET_PATHS id and idHeavy) read,
 * with the surer one's confidence; null when they read different numbers or either reads none. Each network's
 * reading is its most probable valid number, from a CTC beam search over valid-number prefixes only, with
 * line-net.ts constrainedReading's confidence (its share of what the search kept, times its closeness to what the
 * network reads without the number's rules). The century digit is taken as chosen in that unconstrained reading:
 * a network leans to ٢, the digit of most cards it learned from, and the birth date and check digit decide it.
 *
 * Why two: on a separately generated calibration set (seed 3, 800 genuine captures warped with true and with
 * jittered corners, the number box in place and moved by 1–2 % of the card: 6,400 lines), the first network was
 * sure (≥ 0.8) of a wrong number on 5 lines and the second on none, yet through the whole engine the second
 * alone trusted one wrong number (a heavy front read on an outline the engine found, at 0.83; the first network
 * read another number there). Where both read the same number they were never wrong on those lines, and 6,139
 * lines read right and sure against 5,998 for the first network alone and 6,096 for the second.
 */
export async function readIdLineByNet(img: RawImage, now: Date): Promise<{ idNumber: string; confidence: number } | null> {
  return (await readIdLineByNets(img, now)).agreed;
}

/** readIdLineByNet's number, and each network's own reading where the two differ (`split`). */
async function readIdLineByNets(img: RawImage, now: Date): Promise<{ agreed: { idNumber: string; confidence: number } | null; split: { text: string; confidence: number }[] }> {
  // Both ID networks read the same plane (LINE_STRETCH is 1 for each); the second runs only if the first read a number.
  const plane = linePlane(img, 'id');
  const first = await readIdLineWith('id', plane, now);
  const second = first && (await readIdLineWith('idHeavy', plane, now));
  if (!first || !second) return { agreed: null, split: [] };
  if (first.text !== second.text) return { agreed: null, split: [first, second] };
  return { agreed: { idNumber: first.text, confidence: ageCapped(first.text, Math.max(first.confidence, second.confidence), now) }, split: [] };
}

/** One ID network's most probable valid number on a line plane (line-net.ts linePlane), with its confidence. */
export async function readIdLineWith(kind: 'id' | 'idHeavy', plane: { data: Uint8Array; width: number }, now: Date): Promise<{ text: string; confidence: number } | null> {
  const net = loadLineNet(kind);
  return constrainedReading(net, await lineProbabilities(net, plane.data, plane.width), 14, (prefix) => nidPrefixOk(prefix, now), (best) => (prefix) => prefix[0] === best[0]);
}

/** A place to read the number line at: box offsets (fractions of the card) and its height as a share of the box's. */
type LinePlace = [dx: number, dy: number, heightScale: number];

/**
 * Places of readIdLineByConsensus's first ring, the rows a per cent up and down first. The line's own place is not
 * among them: the caller has read it already.
 */
const CONSENSUS_OFFSETS: LinePlace[] = [
  ...[-0.01, 0.01].flatMap((dy) => [0, -0.02, 0.02].map((dx): LinePlace => [dx, dy, 1])),
  [-0.02, 0, 1],
  [0.02, 0, 1],
];
/** Places of the first ring that must read the same number sure, with none reading another. */
const CONSENSUS_MIN_VOTES = 3;
/**
 * The wider ring, read when the first gave no number (and no two numbers): the box two and three per cent up and
 * down, and a box 15 % taller around the line's own rows. An outline 2 % off a small or blurred card moves the line
 * further than the first ring reaches (eval medium front 60: the line sat 3 % low; heavy front 36 read only in the
 * taller box).
 */
const CONSENSUS_WIDE: LinePlace[] = [
  ...[-0.02, 0.02, -0.03, 0.03].flatMap((dy) => [0, -0.02, 0.02].map((dx): LinePlace => [dx, dy, 1])),
  ...[0, -0.01, 0.01].flatMap((dy) => [0, -0.02, 0.02].map((dx): LinePlace => [dx, dy, 1.15])),
];
/**
 * Votes the wider ring needs. Read alone on the first aligned outline of every heavy calibration capture (seed 3,
 * 129 captures, both orientations), two wrong numbers had votes in it: three (the right one had two) and seven
 * (the right one had nine). Each time the right number had votes too, so the conflict rule gave nothing; no wrong
 * number had votes alone. On 272 medium captures no wrong number had a vote. Four, not three, for the margin.
 */
const CONSENSUS_WIDE_MIN_VOTES = 4;

/**
 * A network's own reading of another number at this confidence or more, at a place where the two networks differ,
 * leaves the consensus's number untrusted. On a fresh set (seed 5, 1,000 genuine captures) the first ring gave a
 * heavy front a wrong number at four places, the first network sure of it everywhere, while the second network
 * alone read the right one at three others (0.61 at most); the number passed as sure, the one wrong ID trusted on
 * that set. Through the whole engine the rule flags no right number on the calibration set (seed 3) and two on
 * the eval set (seed 1: medium front 60, with 0.81 against it, and light front 248).
 */
const CONSENSUS_DISSENT = 0.5;

/**
 * The line network read with the number box moved around its place (±2 % of the card across, ±1 % down). Its
 * confidence on a heavy capture swings with a crop a per cent off: on the calibration set (seed 3), outlines within
 * 1–4 % of the card read nothing sure where the true corners read at 1.00, yet around the line's place the same
 * right number came out sure at three or more offsets, and no wrong number came out sure at any (the 46 captures
 * the engine missed, three candidates each, both sides, both orientations). A number read at `minConfidence` or
 * more at CONSENSUS_MIN_VOTES offsets, and no other number read so at any, is taken with the mean confidence of
 * its votes. When the first ring gives no number and no conflict, the wider ring (CONSENSUS_WIDE, unless `wide` is
 * false) adds its votes to the first ring's.
 * Up to eight network reads in the first ring and twenty-one in the wider one: only for captures where nothing
 * else read.
 */
export async function readIdLineByConsensus(card: RawImage, box: Box, now: Date, minConfidence = LINE_NET_TRUST, wide = true): Promise<{ idNumber: string; confidence: number } | null> {
  const votes = new Map<string, number[]>();
  const dissent = new Map<string, number>();
  const first = await consensusAt(card, box, now, minConfidence, CONSENSUS_OFFSETS, CONSENSUS_MIN_VOTES, votes, dissent);
  if (first !== null || !wide) return first === 'conflict' ? null : first;
  const second = await consensusAt(card, box, now, minConfidence, CONSENSUS_WIDE, CONSENSUS_WIDE_MIN_VOTES, votes, dissent);
  return second === 'conflict' ? null : second;
}

/**
 * The number read sure at `minVotes` places, counting the `votes` already cast (which grow), with no other number
 * read sure at any; 'conflict' when two numbers were; null when no number has the votes (the reads stop once it
 * cannot).
 */
async function consensusAt(
  card: RawImage,
  box: Box,
  now: Date,
  minConfidence: number,
  places: LinePlace[],
  minVotes: number,
  votes: Map<string, number[]>,
  dissent: Map<string, number>,
): Promise<{ idNumber: string; confidence: number } | 'conflict' | null> {
  for (const [k, [dx, dy, hs]] of places.entries()) {
    const h = box.h * hs;
    const read = await readIdLineByNets(crop(card, pixelBox({ ...box, x: box.x + dx, y: box.y + dy - (h - box.h) / 2, h }, card)), now);
    if (read.agreed && read.agreed.confidence >= minConfidence) votes.set(read.agreed.idNumber, [...(votes.get(read.agreed.idNumber) ?? []), read.agreed.confidence]);
    for (const one of read.split) dissent.set(one.text, Math.max(dissent.get(one.text) ?? 0, one.confidence));
    if (votes.size > 1) return 'conflict';
    const most = Math.max(0, ...[...votes.values()].map((v) => v.length));
    if (most + (places.length - k - 1) < minVotes) return null;
  }
  const [agreed] = [...votes.entries()];
  if (!agreed || agreed[1].length < minVotes) return null;
  const confidence = agreed[1].reduce((a, b) => a + b, 0) / agreed[1].length;
  // One network alone, at a place where the two read different numbers, was fairly sure of another number: the
  // number is returned, not trusted (as when two readers are sure of different numbers, mergeLineNet).
  const against = Math.max(0, ...[...dissent].filter(([text]) => text !== agreed[0]).map(([, c]) => c));
  return { idNumber: agreed[0], confidence: against >= CONSENSUS_DISSENT ? Math.min(confidence, DISAGREEMENT_CONFIDENCE) : confidence };
}

/**
 * Confidence given to a reading that a safety rule distrusts (below every trust threshold: ID_MIN_CONFIDENCE,
 * TEXT_MIN_CONFIDENCE, so it is flagged): two readers sure of different numbers or dates (mergeLineNet,
 * readBackDates), or a number that overrules a digit the templates alone were at least SURE_TEMPLATE sure of while
 * the network is less than SURE_NET sure of it, whose glyph's height does not fit the digit read (SHORT_DIGIT,
 * TALL_ZERO), or whose holder's age is implausible (ageCapped).
 */
export const DISAGREEMENT_CONFIDENCE = 0.5;
const SURE_TEMPLATE = 0.9;
/**
 * With the convolutional network, capping every overruled sure template digit cost 2.7 % of right readings (true
 * corners, synthetic eval set); excused at 0.9, no wrong number was trusted there or on a separately generated
 * calibration set (seed 3, 800 captures).
 */
const SURE_NET = 0.9;
/** Glyph heights, as fractions of the line's typical digit height, that no printed digit of that kind has. */
const SHORT_DIGIT = 0.6;
const TALL_ZERO = 0.75;

/**
 * A number whose holder would be younger than a card holder can be, or past 100 (nid.ts plausibleHolderAge), is
 * not trusted, however sure the reader: on a separately generated calibration set (seed 3, 800 genuine captures),
 * a heavy front read on an outline 5 % off gave 3-18-… for 2-68-… at 0.986 (a holder aged 7), the one number
 * trusted wrong there; with the rule it is flagged.
 */
function ageCapped(idNumber: string, confidence: number, now: Date): number {
  return plausibleHolderAge(idNumber, now) ? confidence : Math.min(confidence, DISAGREEMENT_CONFIDENCE);
}

/** A reading below this confidence is retried at other thresholds (the trust threshold, ID_MIN_CONFIDENCE). */
const ID_RETRY_BELOW = 0.8;
const ID_RETRY_THRESHOLDS = [0.75, 1.25];

async function readIdLine(img: RawImage, now: Date, thresholdScale: number): Promise<IdReading> {
  const line = await readDigitLine(img, loadDigitTemplates(), { expectGlyphs: 14, deepenFaintInk: true, thresholdScale, net: loadDigitNet() });
  const digits = line.glyphs.filter((g) => g.alternatives[0]?.label !== '/');
  let choice: NidChoice | null = null;
  let confidence = 0;
  if (digits.length === 14) {
    const choose = (alts: (g: ReadGlyph) => DigitAlternative[] | undefined) =>
      chooseNationalId(digits.map((g) => (alts(g) ?? []).filter((a) => a.label !== '/').map((a) => ({ digit: a.label, score: a.p }))), { now });
    choice = choose((g) => g.alternatives);
    // Confidence: the chooser's posterior among the valid numbers the glyph alternatives allow (calibrated on
    // synthetic captures: at ≥ 0.8 no wrong number was accepted, see ID_MIN_CONFIDENCE). The network is less sure
    // of real print than of the generator's; when the templates alone choose the same number, their posterior
    // counts too (two readers agreeing is no weaker evidence than either alone).
    confidence = choice?.confidence ?? 0;
    if (choice && digits[0]!.templateAlternatives) {
      const byTemplates = choose((g) => g.templateAlternatives);
      if (byTemplates?.idNumber === choice.idNumber) confidence = Math.max(confidence, byTemplates.confidence);
      // The chosen number overrules a digit the templates were sure of, and the network is not sure either: one
      // reader is wrong, and the check digit passes one wrong number in ten. Not trusted (a blurred glyph at the
      // card's edge fooled the earlier, fully connected network so).
      else if (
        digits.some(
          (g, i) =>
            (g.templateAlternatives![0]?.p ?? 0) >= SURE_TEMPLATE &&
            g.templateAlternatives![0]!.label !== choice!.idNumber[i] &&
            (g.netAlternatives!.find((a) => a.label === choice!.idNumber[i])?.p ?? 0) < SURE_NET,
        )
      )
        confidence = Math.min(confidence, DISAGREEMENT_CONFIDENCE);
    }
    if (choice) confidence = ageCapped(choice.idNumber, confidence, now);
    // Every Eastern digit but ٠ stands the full line height; ٠ is a small diamond. A short blob read as another
    // digit is part of one (glare or a shadow ate the rest), a tall one read as ٠ is no ٠: whatever the
    // classifiers say of it, the number is not trusted.
    const h = line.glyphHeight;
    if (choice && h > 0 && digits.some((g, i) => (choice!.idNumber[i] === '0' ? g.box[3] > h * TALL_ZERO : g.box[3] < h * SHORT_DIGIT)))
      confidence = Math.min(confidence, DISAGREEMENT_CONFIDENCE);
  }
  return { line, choice, idNumber: choice?.idNumber ?? null, confidence };
}

export interface DateRule {
  /** Digits expected: 6 = YYYYMM, 8 = YYYYMMDD. */
  digits: 6 | 8;
  minYear: number;
  maxYear: number;
  /** Year and month known from elsewhere (the expiry from the issue date): only the day is chosen. */
  yearMonth?: { year: number; month: number };
}

export interface DateReading {
  /** Chosen date as "YYYY/MM" or "YYYY/MM/DD", or the raw top-1 text when nothing plausible was found. */
  value: string | null;
  /** Whether `value` is a plausible date chosen under the rule. */
  plausible: boolean;
  confidence: number;
  line: DigitLine;
}

/**
 * Reads a printed date (Eastern digits with '/') and, like the NID, uses its structure (year range, month,
 * day of month) to choose among each glyph's alternatives. Never invents a digit: only offered alternatives.
 */
export async function readDate(card: RawImage, box: Box, rule: DateRule): Promise<DateReading> {
  const total = rule.digits + (rule.digits === 8 ? 2 : 1);
  // A word space splits the date from the Arabic words before it (expiry line): cut runs at 1.2 line heights.
  const line = await readDigitLine(crop(card, pixelBox(box, card)), loadDigitTemplates(), { maxGap: 1.2, expectGlyphs: total, deepenFaintInk: true, net: loadDigitNet() });
  return chooseDate(line, rule);
}

/** The most probable plausible date among a read line's glyph alternatives (no new read: rules can be narrowed). */
export function chooseDate(line: DigitLine, rule: DateRule): DateReading {
  // Separators sit after the year and the month: "YYYY/MM" is 7 glyphs, "YYYY/MM/DD" 10.
  const seps = rule.digits === 8 ? [4, 7] : [4];
  const total = rule.digits + seps.length;
  // With the full glyph count the separator positions are known, whatever the classifier thought of them.
  const digitGlyphs = line.glyphs.length === total ? line.glyphs.filter((_, i) => !seps.includes(i)) : line.glyphs.filter((g) => g.alternatives[0]?.label !== '/');
  const raw = line.text || null;
  if (digitGlyphs.length !== rule.digits) return { value: raw, plausible: false, confidence: 0, line };
  const alts = digitGlyphs.map((g) => {
    const a = g.alternatives.filter((x) => x.label !== '/').slice(0, 3);
    const z = a.reduce((s, x) => s + x.p, 0) || 1;
    return a.map((x) => ({ d: x.label, p: x.p / z }));
  });
  let best: { s: string; p: number } | null = null;
  let validMass = 0;
  const walk = (i: number, prefix: string, p: number) => {
    if (p < 1e-6) return;
    if (i === alts.length) {
      if (!plausibleDate(prefix, rule)) return;
      validMass += p;
      if (!best || p > best.p) best = { s: prefix, p };
      return;
    }
    for (const a of alts[i]!) walk(i + 1, prefix + a.d, p * a.p);
  };
  walk(0, '', 1);
  const chosen = best as { s: string; p: number } | null;
  if (!chosen) return { value: raw, plausible: false, confidence: 0, line };
  const s = chosen.s;
  const value = rule.digits === 8 ? `${s.slice(0, 4)}/${s.slice(4, 6)}/${s.slice(6, 8)}` : `${s.slice(0, 4)}/${s.slice(4, 6)}`;
  return { value, plausible: true, confidence: chosen.p / validMass, line };
}

/**
 * Whether a printed date text ("YYYY/MM" or "YYYY/MM/DD", ASCII digits) can still become a plausible date under the
 * rule: the separators in their places, a year in range, a month, a day of that month.
 */
export function datePrefixOk(prefix: string, rule: DateRule): boolean {
  if (prefix.length > dateTextLength(rule)) return false;
  for (let i = 0; i < prefix.length; i++) if ((i === 4 || i === 7) !== (prefix[i] === '/')) return false;
  const year = prefix.slice(0, 4);
  let yearOk = false;
  for (let y = rule.minYear; y <= rule.maxYear && !yearOk; y++) yearOk = String(y).startsWith(year) && (!rule.yearMonth || y === rule.yearMonth.year);
  if (!yearOk) return false;
  const month = prefix.slice(5, 7);
  if (month && !(month.length === 1 ? month <= '1' : +month >= 1 && +month <= 12 && (!rule.yearMonth || +month === rule.yearMonth.month))) return false;
  const day = prefix.slice(8, 10);
  if (day.length === 1 && day > '3') return false;
  return day.length < 2 || plausibleDate(prefix.replace(/\//g, ''), rule);
}

/** Characters of a printed date: "YYYY/MM" or "YYYY/MM/DD". */
const dateTextLength = (rule: DateRule) => (rule.digits === 8 ? 10 : 7);

/**
 * The date network's most probable plausible date on a line's probabilities (line-net.ts readLine): a CTC search
 * over date-shaped texts only, with line-net.ts constrainedReading's confidence (the unconstrained reading is the
 * looser one). Null when no plausible date has any probability.
 */
export function chooseDateByNet(probs: Float32Array[], rule: DateRule): { value: string; confidence: number } | null {
  const read = constrainedReading(loadLineNet('date'), probs, dateTextLength(rule), (prefix) => datePrefixOk(prefix, rule), () => () => true);
  return read && { value: read.text, confidence: read.confidence };
}

function plausibleDate(s: string, rule: DateRule): boolean {
  const y = +s.slice(0, 4);
  const m = +s.slice(4, 6);
  if (y < rule.minYear || y > rule.maxYear || m < 1 || m > 12) return false;
  if (rule.yearMonth && (y !== rule.yearMonth.year || m !== rule.yearMonth.month)) return false;
  if (rule.digits === 6) return true;
  const d = +s.slice(6, 8);
  return d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Egyptian national ID cards expire seven years after issue (same month). */
export const CARD_VALIDITY_YEARS = 7;
/** Issue date (YYYY/MM): from the first cards of this design to next year. */
export const RELEASE_RULE = (year: number): DateRule => ({ digits: 6, minYear: 1990, maxYear: year + 1 });
/** Expiry date (YYYY/MM/DD): at most 20 years ahead. */
export const EXPIRY_RULE = (year: number): DateRule => ({ digits: 8, minYear: 2000, maxYear: year + 20 });
/** Confidence of an issue date that the expiry's year and month confirm (two independent reads agree). */
const CONFIRMED_RELEASE = 0.95;

export interface DateValue {
  /** "YYYY/MM" or "YYYY/MM/DD" when plausible, else the raw reading or null. */
  value: string | null;
  plausible: boolean;
  confidence: number;
}

/**
 * The back's issue and expiry dates, read by both readers: the glyph reader and the date network (a CTC search
 * over date-shaped texts, chooseDateByNet). With true corners on generated captures the network reads more
 * dates right and fewer wrong with confidence, above all expiry days in the text font (eval set, 418 backs:
 * expiry 56.9 % → 85.4 %, confident-wrong 9 → 1), so a sure network reading comes first; two readers sure of
 * different dates are flagged. In each reader, a pair whose expiry is the issue date plus seven years (same
 * month) confirms the issue date and the expiry's year and month; the expiry day is then chosen again with them
 * fixed, with that choice's own confidence.
 */
export async function readBackDates(card: RawImage, now: Date): Promise<{ release: DateValue; expiry: DateValue }> {
  const year = now.getUTCFullYear();
  const [rel, exp] = [RELEASE_RULE(year), EXPIRY_RULE(year)];
  const [gr, ge] = await Promise.all([readDate(card, BACK_BOXES.releaseDate, rel), readDate(card, BACK_EXPIRY_DATE_BOX, exp)]);
  const glyph = confirmPair(gr, ge, (yearMonth) => chooseDate(ge.line, { ...exp, yearMonth }));
  const pr = await readLine(crop(card, pixelBox(BACK_BOXES.releaseDate, card)), 'date');
  const { probs: pe, reading: netExpiry } = await expiryByNet(card, exp);
  const asValue = (r: { value: string; confidence: number } | null): DateValue => (r ? { ...r, plausible: true } : { value: null, plausible: false, confidence: 0 });
  const byNet = confirmPair(asValue(chooseDateByNet(pr, rel)), asValue(netExpiry), (yearMonth) => asValue(chooseDateByNet(pe, { ...exp, yearMonth })));
  const pick = (g: DateValue, n: DateValue): DateValue => {
    if (!n.plausible) return g;
    if (!g.plausible) return n;
    if (g.value === n.value) return { ...n, confidence: Math.max(g.confidence, n.confidence) };
    const chosen = n.confidence >= TEXT_MIN_CONFIDENCE ? n : g.confidence >= TEXT_MIN_CONFIDENCE ? g : n.confidence >= g.confidence ? n : g;
    const other = chosen === n ? g : n;
    return other.confidence >= TEXT_MIN_CONFIDENCE ? { ...chosen, confidence: Math.min(chosen.confidence, DISAGREEMENT_CONFIDENCE) } : chosen;
  };
  return distrustUnpaired(confirmPair(pick(glyph.release, byNet.release), pick(glyph.expiry, byNet.expiry), () => null));
}

/**
 * An issue date and an expiry that are both plausible but not seven years apart in the same month (as on every
 * labelled real card: 7 of 7 in ../shared/data/egypt-id) hold a misread, and neither is trusted. On the calibration
 * set (seed 3) the network's wider expiry boxes (EXPIRY_NET_RIGHT_EDGES) made it sure of an expiry year one digit
 * off (2039 for 2029, issued 2022), and three issue dates read sure and wrong were caught the same way.
 */
function distrustUnpaired(dates: { release: DateValue; expiry: DateValue }): { release: DateValue; expiry: DateValue } {
  const { release, expiry } = dates;
  if (validityPair(release, expiry) !== false) return dates;
  const cap = (d: DateValue): DateValue => ({ ...d, confidence: Math.min(d.confidence, DISAGREEMENT_CONFIDENCE) });
  return { release: cap(release), expiry: cap(expiry) };
}

/**
 * Right edges (fractions of the card) of the expiry date's box for the date network, tried in order while its
 * reading is unsure. The line is right-aligned text ending, on the left, in the date, so where the date ends
 * depends on the width of the words before it: in the generator's text fonts the day runs up to ~0.58, past the
 * glyph reader's box (BACK_EXPIRY_DATE_BOX, 0.54), and a day cut at its last digit was read wrong. A wider box
 * takes in the end of the word حتى, which lowers the network's confidence, so its surest reading counts. The glyph
 * reader keeps the first box: at the wider ones it cut the line into other glyphs and was sure of dates a month
 * off. Measured in README (round of 2026-12-03, sixth session).
 */
const EXPIRY_NET_RIGHT_EDGES = [BACK_EXPIRY_DATE_BOX.x + BACK_EXPIRY_DATE_BOX.w, 0.57, 0.6];

/** The date network's surest expiry reading over EXPIRY_NET_RIGHT_EDGES, with the probabilities it came from. */
async function expiryByNet(card: RawImage, rule: DateRule): Promise<{ probs: Float32Array[]; reading: { value: string; confidence: number } | null }> {
  let best: { probs: Float32Array[]; reading: { value: string; confidence: number } | null } | null = null;
  for (const right of EXPIRY_NET_RIGHT_EDGES) {
    const probs = await readLine(crop(card, pixelBox({ ...BACK_EXPIRY_DATE_BOX, w: right - BACK_EXPIRY_DATE_BOX.x }, card)), 'date');
    const reading = chooseDateByNet(probs, rule);
    if (!best || (reading?.confidence ?? 0) > (best.reading?.confidence ?? 0)) best = { probs, reading };
    if ((best.reading?.confidence ?? 0) >= TEXT_MIN_CONFIDENCE) break;
  }
  return best!;
}

/**
 * An issue date and an expiry against the card's validity (CARD_VALIDITY_YEARS, same month): the expiry's year and
 * month when they pair, false when both are read but do not, null when either is missing.
 */
function validityPair(release: DateValue, expiry: DateValue): { year: number; month: number } | false | null {
  if (!release.plausible || !expiry.plausible) return null;
  const [ry, rm] = release.value!.split('/').map(Number);
  const [ey, em] = expiry.value!.split('/').map(Number);
  return ey === ry! + CARD_VALIDITY_YEARS && em === rm ? { year: ey!, month: em! } : false;
}

/** See readBackDates: an issue date and expiry that agree confirm each other; `dayGiven` re-chooses the day. */
function confirmPair(release: DateValue, expiry: DateValue, dayGiven: (yearMonth: { year: number; month: number }) => DateValue | null) {
  const yearMonth = validityPair(release, expiry);
  if (!yearMonth) return { release, expiry };
  const day = dayGiven(yearMonth);
  return {
    release: { ...release, confidence: Math.max(release.confidence, CONFIRMED_RELEASE) },
    expiry: day?.plausible && day.value === expiry.value ? { ...expiry, confidence: Math.max(expiry.confidence, day.confidence) } : expiry,
  };
}

/** Serial: two Latin capitals then seven digits; the position decides which alphabet each glyph may use. */
export async function readIdKey(card: RawImage): Promise<FieldValue> {
  // Templates only: a network trained on the generator's serials (train-digit-net.ts --alphabet latin) read
  // synthetic serials better (74.8 → 88.0 % on the eval's fronts) but real ones worse (11 → 6 of 13, three wrong
  // at high confidence): the generator's serial font is not the card's.
  const line = await readDigitLine(crop(card, pixelBox(FRONT_BOXES.idKey, card)), loadLatinTemplates());
  if (!line.glyphs.length) return { value: null, confidence: 0 };
  let conf = 1;
  const chars = line.glyphs.map((g, i) => {
    const wantLetter = line.glyphs.length === 9 ? i < 2 : /[A-Z]/.test(g.alternatives[0]?.label ?? '');
    const alts = g.alternatives.filter((a) => (wantLetter ? /[A-Z]/.test(a.label) : /\d/.test(a.label)));
    const total = alts.reduce((s, a) => s + a.p, 0);
    const best = alts[0];
    if (!best) return '?';
    conf = Math.min(conf, total > 0 ? best.p / total : 0);
    return best.label;
  });
  return { value: chars.join(''), confidence: line.glyphs.length === 9 ? conf : conf * 0.5 };
}

/** Text crops are taken this much taller (fraction of card height, each side) to survive misalignment. */
const TEXT_SLACK_Y = 0.03;

export function slackBox(box: Box): Box {
  const y0 = Math.max(0, box.y - TEXT_SLACK_Y);
  const y1 = Math.min(1, box.y + box.h + TEXT_SLACK_Y);
  return { x: box.x, y: y0, w: box.w, h: y1 - y0 };
}

export async function readText(reader: TextReader, card: RawImage, box: Box, rightAligned = false, variant: LineVariant = 'plain'): Promise<TextLine> {
  return reader.readPrepared(await prepareText(card, box, rightAligned, variant));
}

/** A field's line made ready for the text reader (readText in two steps: see TextReader.readPrepared). */
export function prepareText(card: RawImage, box: Box, rightAligned = false, variant: LineVariant = 'plain'): Promise<PreparedLine> {
  const tall = slackBox(box);
  const expected = (box.y + box.h / 2 - tall.y) / tall.h;
  return prepareLine(crop(card, pixelBox(tall, card)), expected, rightAligned, variant);
}

/** Snaps an OCR'd word to the closest entry of a small closed vocabulary (religion, marital status, ...). */
export function snapToVocabulary(text: string, vocabulary: readonly string[], maxRelDistance = 0.4): { value: string; distance: number } | null {
  const key = compareKey(text);
  if (!key) return null;
  let best: { value: string; distance: number } | null = null;
  for (const v of vocabulary) {
    const d = relativeDistance(key, v);
    if (!best || d < best.distance) best = { value: v, distance: d };
  }
  return best && best.distance <= maxRelDistance ? best : null;
}

/** Edits from a read's comparison key to a vocabulary word, relative to the word's length. */
function relativeDistance(key: string, word: string): number {
  const w = compareKey(word);
  return levenshtein(key, w) / Math.max(1, w.length);
}

export const GENDER_WORDS = { male: 'ذكر', female: 'أنثى' } as const;
export const RELIGION_WORDS = ['مسلم', 'مسلمه', 'مسيحي', 'مسيحيه', 'يهودي', 'يهوديه'] as const;
export const MARITAL_WORDS = ['أعزب', 'آنسه', 'متزوج', 'متزوجه', 'مطلق', 'مطلقه', 'أرمل', 'أرمله'] as const;

/** A closed vocabulary's word found in a line, with its edit distance (relative to its length) from what was read. */
export interface VocabularyWord extends FieldValue {
  distance?: number;
}

/**
 * Finds the vocabulary word anywhere in a line's words (the gender/religion/marital line is spread out), leaving
 * out words at least as close to a word of `others` (the vocabularies of the line's other fields).
 */
export function findVocabularyWord(line: TextLine, vocabulary: readonly string[], others: readonly (readonly string[])[] = []): VocabularyWord {
  const candidates = [line.text, ...line.words.map((w) => w.text)];
  let best: { value: string; distance: number; conf: number } | null = null;
  for (const c of candidates) {
    for (const part of c.split(' ')) {
      const s = snapToVocabulary(part, vocabulary);
      // A word of another field on the same line is not this field's word read with slips: مسلمة (religion) is
      // within 0.4 of مطلقة (marital status), and was returned as a divorced woman's status.
      if (s && others.some((o) => (snapToVocabulary(part, o)?.distance ?? Infinity) <= s.distance)) continue;
      if (s && (!best || s.distance < best.distance)) best = { ...s, conf: line.confidence };
    }
  }
  if (!best) return { value: null, confidence: 0 };
  // A closed vocabulary makes a near-match trustworthy even when tesseract itself was unsure.
  return { value: best.value, confidence: best.distance === 0 ? Math.max(0.9, best.conf) : Math.max(0.6, 0.85 - best.distance), distance: best.distance };
}

/** A guess (guessVocabularyWord) is at most this far (edit distance relative to the word) from its word... */
const GUESS_MAX_DISTANCE = 0.5;
/** ...and this much nearer than to any other word the holder's gender allows. */
const GUESS_MARGIN = 0.2;
/** Confidence of a guess: below TEXT_MIN_CONFIDENCE, so it is always listed among the unsure fields. */
export const GUESS_CONFIDENCE = 0.6;

/**
 * The last resort for religion and marital status when no read holds the word within snapToVocabulary's reach:
 * the holder's gender (from the ID number) leaves two to four forms (مسلم, مسيحي, يهودي for a man), far apart,
 * so a read twice as far off still points at one of them (a blurred مسلم read as صلم or لم). `forms` are those
 * the gender allows; a word nearer to a word of `others` (the line's other fields) is not this field's. The
 * guess is returned flagged (GUESS_CONFIDENCE). On the calibration set (seed 3, 388 backs read) this and the
 * box's second reads (engine `wordOrItsBox`) found 16 of 54 missing religions and 9 of 54 marital statuses, none
 * wrong.
 */
export function guessVocabularyWord(lines: readonly TextLine[], forms: readonly string[], others: readonly (readonly string[])[]): VocabularyWord {
  let best: { value: string; distance: number } | null = null;
  for (const line of lines) {
    for (const w of line.words) {
      const key = compareKey(w.text.replace(/[^\u0621-\u064A]/g, ''));
      if (key.length < 2) continue;
      const ranked = forms.map((f) => ({ value: f, distance: relativeDistance(key, f) })).sort((a, b) => a.distance - b.distance);
      const first = ranked[0];
      if (!first || first.distance > GUESS_MAX_DISTANCE) continue;
      if ((ranked[1]?.distance ?? Infinity) - first.distance < GUESS_MARGIN) continue;
      if (others.some((o) => o.some((word) => relativeDistance(key, word) <= first.distance))) continue;
      if (!best || first.distance < best.distance) best = first;
    }
  }
  return best ? { value: best.value, confidence: GUESS_CONFIDENCE, distance: best.distance } : { value: null, confidence: 0 };
}

/**
 * Tesseract's `ara` model has no ٢–٩: re-read any word in an address line that looks numeric with the glyph
 * reader and splice the Eastern digits back in. With `lookalikes` (address line 1, where house numbers are),
 * words that look like digits read as letters (٥ as ه, ١ as ا) are re-read too, and blank-looking gaps where
 * tesseract dropped a number it could not read are searched for one.
 */
export async function rereadDigitWords(card: RawImage, box: Box, line: TextLine, lookalikes = false, textEdge?: number): Promise<{ text: string; confidence: number }> {
  if (!line.words.length) return { text: line.text, confidence: line.confidence };
  const crops = crop(card, pixelBox(slackBox(box), card));
  // Tokens in logical order (the words joined are the line's text); re-read numbers replace their word in place.
  const tokens = line.words.map((w) => ({ text: w.text, confidence: w.confidence }));
  const lineTop = Math.min(...line.words.map((w) => w.bbox.y0));
  const lineBottom = Math.max(...line.words.map((w) => w.bbox.y1));
  const lineH = Math.max(1, lineBottom - lineTop);
  const m = 4;
  const top = Math.max(0, Math.floor(lineTop) - m);
  const height = Math.min(crops.height - top, Math.ceil(lineBottom - lineTop) + 2 * m);
  /** Reads a number between x0 and x1; `near` (crop x) picks the run of glyphs tesseract saw, when it saw one. */
  const readNumber: NumberReader = async (x0, x1, near) => {
    const left = Math.max(0, Math.floor(x0) + 1);
    const width = Math.min(crops.width - left, Math.ceil(x1) - 1 - left);
    if (width < 4 || height < 4) return null;
    // White margins on both sides: the glyph reader ignores blobs wider than half the crop (frames, artwork),
    // which a lone digit in a word-tight crop would be.
    const pad = height;
    const digits = await readDigitLine(padWhite(crop(crops, { left, top, width, height }), pad, 0), loadDigitTemplates(), { splitTouching: true });
    // Tesseract's word boxes do not always hold a word's last stroke: ink cut by the crop's edge is the end of a
    // neighbouring word (or the card's artwork), not a digit (١٨ read as ٦١٨).
    // Specks a tenth of the line high are noise, not digits (٠, the smallest, is about a fifth).
    const glyphs = digits.glyphs.filter((g) => g.box[0] - pad > 1 && g.box[0] + g.box[2] - pad < width - 1 && Math.max(g.box[2], g.box[3]) >= lineH * 0.1);
    if (!glyphs.length) return null;
    // The crop can reach into the neighbouring words, whose parts read as stray digits: glyphs group into runs at
    // gaps wider than half the line height, and only the run at the number is kept.
    const runs: ReadGlyph[][] = [[glyphs[0]!]];
    for (let i = 1; i < glyphs.length; i++) {
      const prev = glyphs[i - 1]!.box;
      const g = glyphs[i]!;
      if (g.box[0] - (prev[0] + prev[2]) > lineH * 0.5) runs.push([g]);
      else runs[runs.length - 1]!.push(g);
    }
    const centre = (r: ReadGlyph[]) => (r[0]!.box[0] + r[r.length - 1]!.box[0] + r[r.length - 1]!.box[2]) / 2 - pad + left;
    const run = near === null ? (runs.length === 1 ? runs[0]! : null) : runs.reduce((a, b) => (Math.abs(centre(a) - near) <= Math.abs(centre(b) - near) ? a : b));
    if (!run) return null;
    const text = run.map((g) => g.alternatives[0]?.label ?? '').join('');
    const minConfidence = Math.min(...run.map((g) => g.alternatives[0]?.p ?? 0));
    return { text, minConfidence, tallest: Math.max(...run.map((g) => g.box[3])) };
  };
  let collapsed = false;
  for (const [i, w] of line.words.entries()) {
    const t = w.text.trim();
    // A word with a run of letters is a number glued to a word ("١-مدينتى"): re-reading it as a number would
    // drop the word, and tesseract reads the ١ and ٠ such glued numbers mostly are.
    const numeric = /[0-9٠-٩۰-۹]/.test(t) && !/[\u0621-\u064A]{3}/.test(t);
    // What tesseract makes of ٢–٩ on line 1: a stray symbol, a lone letter that is not an address abbreviation
    // (ش for شارع, ع for عمارة), or a short "word" of the letters Eastern digits look like (ه for ٥: ٥٤ as ءه).
    const lookalike =
      lookalikes &&
      t.length > 0 &&
      !placeLexicon().has(t) &&
      !/^[-–]+$/.test(t) &&
      // A lone alef before a word starting with ل is the article split off ("ا لنحرير"), joined below.
      !(t === 'ا' && /^ل/.test(line.words[i + 1]?.text.trim() ?? '')) &&
      ((t.length <= 2 && !/^[\u0621-\u064A]{2}$/.test(t)) || (t.length <= 3 && /[هم]/.test(t) && /^[ءاآأإلهوم0-9٠-٩*)(+<>.،؛]+$/.test(t)) || houseNumberPlace(line, i));
    if (!numeric && !lookalike) continue;
    // Tesseract's box often holds only part of a number (the digits it could not read are left out): read from
    // the neighbouring word on the left to the one on the right, over the whole line's height.
    const others = line.words.filter((o) => o !== w);
    const leftEdge = Math.max(w.bbox.x0 - lineH * 2, ...others.map((o) => o.bbox.x1).filter((x) => x <= w.bbox.x0 + 1));
    const rightEdge = Math.min(w.bbox.x1 + lineH * 2, ...others.map((o) => o.bbox.x0).filter((x) => x >= w.bbox.x1 - 1));
    const digits = await readNumber(leftEdge, rightEdge, (w.bbox.x0 + w.bbox.x1) / 2);
    // A look-alike is only replaced by a clear number: the glyph reader must be sure of every digit.
    const minConf = numeric ? 0.5 : 0.8;
    if (!digits?.text || digits.text.includes('/') || digits.minConfidence <= minConf) continue;
    // A lone digit where tesseract saw a number of two or more digits: the glyph reader missed ink (a real card's
    // two-digit house number came back as one digit, trusted), so the number replaces the word but the line is
    // not vouched for. On 249 calibration fronts (seed 3) this never happened; tesseract reading one digit too many
    // in longer numbers is common, and the glyph reader is then right, so only the collapse to one digit counts.
    if (digits.text.length === 1 && (t.match(/[0-9٠-٩]/g) ?? []).length >= 2) collapsed = true;
    // No house is numbered zero: on line 1 a lone ٠ is the dash of "street - district" (a short thick stroke).
    const zero = /^0+$/.test(digits.text);
    if (zero && lookalikes) tokens[i] = { text: i > 0 && i < line.words.length - 1 ? '-' : '', confidence: digits.minConfidence };
    else {
      // A number glued to an abbreviation ("١ش"): the letters stay, as their own word on the same side.
      const letters = numeric ? t.replace(/[^\u0621-\u064A]/g, '') : '';
      const keep = letters && placeLexicon().has(letters) ? letters : '';
      const number = toEasternDigits(digits.text);
      tokens[i] = { text: !keep ? number : /^[\u0621-\u064A]/.test(t) ? `${keep} ${number}` : `${number} ${keep}`, confidence: digits.minConfidence };
    }
  }
  if (lookalikes) {
    // Right-aligned text ends at the layout's text edge; beyond it (plus the rectification's slack) is artwork.
    const textRight = textEdge === undefined ? crops.width : Math.min(crops.width, ((textEdge + 0.015 - box.x) / box.w) * crops.width);
    await findDroppedNumbers(line, tokens, lineH, textRight, readNumber);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!.text;
      // Left as tesseract read it: a dot or a zero between two words is the dash of "street - district".
      if (/^(\.|[0٠]+)$/.test(t) && i > 0 && i < tokens.length - 1) tokens[i] = { ...tokens[i]!, text: '-' };
      // The alef of "ال" split off ("ا لرقة"), or read as ١ ("١ لرقة"), is joined back: an alef, always; a ١ when
      // that makes a known word.
      const next = tokens[i + 1]?.text ?? '';
      if ((t === 'ا' || (/^[1١]$/.test(t) && placeLexicon().has(`ا${next}`))) && /^ل[\u0621-\u064A]+$/.test(next)) {
        tokens[i] = { ...tokens[i]!, text: '' };
        tokens[i + 1] = { ...tokens[i + 1]!, text: `ا${next}` };
      }
    }
  }
  const kept = tokens.filter((t) => t.text);
  const text = kept.map((t) => t.text).join(' ');
  // Line confidence = mean word confidence, with a re-read number counting at the glyph reader's confidence.
  const mean = tokens.length ? tokens.reduce((a, b) => a + b.confidence, 0) / tokens.length : line.confidence;
  const confidence = collapsed ? Math.min(mean, TEXT_MIN_CONFIDENCE - 0.01) : mean;
  return { text: text === line.text.replace(/\s+/g, ' ').trim() ? line.text : text, confidence };
}

/**
 * Cards print Eastern digits and Arabic letters only: a Latin digit or letter, or a stray symbol, still in a line
 * after the digit re-read is something neither reader could read (tesseract's guess at ٢–٩, or a smudge). A
 * single dot may be printed (one real card's address has one), a run of dots or the Arabic semicolon is not.
 */
export function hasUnreadMarks(text: string): boolean {
  return /[0-9A-Za-z<>+*()“”"'!?@#$%^&=_|\\[\]{}~؛]|\.\./.test(text);
}

/**
 * A number that starts with ٠ (a house number "٠٩", a lone "٠") is a misread: cards print none (eval set: three
 * line-1 addresses returned as sure with one; no real card's address has one).
 */
export function zeroLedNumber(text: string): boolean {
  return /(^|[^0-9\u0660-\u0669])[0\u0660]/.test(text);
}

/** Words that follow the house number at the start of line 1 ("٥٦ شارع الجامع", "٤٧ ش الازهر", "١٠ عمارات ..."). */
export const AFTER_HOUSE_NUMBER: ReadonlySet<string> = new Set(['شارع', 'ش', 'عمارات']);

/**
 * Word `i` of line 1 stands where the house number is printed: it is the line's first word, it is followed by a
 * street word, and it is a short "word" the lexicon does not know (tesseract reads ٥٦ as ده, ٤٧ as لا, ٣٨ as ير,
 * ٥٧ as جاد). Such a word is re-read as a number; the glyph reader must be sure of every digit.
 */
function houseNumberPlace(line: TextLine, i: number): boolean {
  const first = line.words.findIndex((w) => w.text.trim());
  const t = line.words[i]?.text.trim() ?? '';
  return i === first && AFTER_HOUSE_NUMBER.has(line.words[i + 1]?.text.trim() ?? '') && /^[\u0621-\u064A]{2,3}$/.test(t) && !placeLexicon().has(t);
}

/** Words an address always follows with a number ("فيلا ٣٥ مجموعة ٨ - الرحاب"). */
const NUMBERED_WORDS = new Set(['فيلا', 'مجموعة', 'مجموعه', 'بلوك', 'شقة', 'شقه']);

/** A numbered word (NUMBERED_WORDS) with no number after it: the number was read as nothing. */
export function lostNumber(text: string): boolean {
  const words = text.split(/\s+/);
  return words.some((w, i) => NUMBERED_WORDS.has(w) && !/^[0-9٠-٩]/.test(words[i + 1] ?? ''));
}

/** Reads a number between two crop x positions (see rereadDigitWords); `near` picks the run at a word. */
type NumberReader = (x0: number, x1: number, near: number | null) => Promise<{ text: string; minConfidence: number; tallest: number } | null>;

/**
 * Tesseract leaves out a number it cannot read at all (٢٩ شارع ... comes back as شارع ...): a gap between
 * words wider than a space, or the stretch right of the first word up to the text edge, that the glyph reader
 * reads as one clear run of digits gets the number inserted there (logical order runs right to left).
 */
async function findDroppedNumbers(
  line: TextLine,
  tokens: { text: string; confidence: number }[],
  lineH: number,
  textRight: number,
  readNumber: NumberReader,
): Promise<void> {
  const order = line.words.map((w, i) => ({ w, i })).filter(({ w }) => w.text.trim());
  if (!order.length) return;
  const gaps: { x0: number; x1: number; before: number }[] = [];
  // Logical order is right to left: the first word is the rightmost.
  const first = order[0]!;
  gaps.push({ x0: first.w.bbox.x1, x1: Math.min(textRight, first.w.bbox.x1 + lineH * 4), before: first.i });
  for (let k = 0; k + 1 < order.length; k++) {
    const right = order[k]!.w;
    const left = order[k + 1]!.w;
    if (right.bbox.x0 - left.bbox.x1 > lineH * 1.2) gaps.push({ x0: left.bbox.x1, x1: right.bbox.x0, before: order[k + 1]!.i });
  }
  const inserts: { at: number; token: { text: string; confidence: number } }[] = [];
  const isNumber = (i: number | undefined) => i !== undefined && /[0-9٠-٩]/.test(tokens[i]?.text ?? '');
  for (const g of gaps) {
    // Beside a number already read, a "gap" is more likely the rest of that number than another one.
    if (g.x1 - g.x0 < lineH * 0.6 || isNumber(g.before) || isNumber(g.before - 1)) continue;
    const digits = await readNumber(g.x0, g.x1, null);
    // A number has a digit at least half the line high (٠ alone is not a house number; specks are not digits).
    if (digits?.text && !digits.text.includes('/') && digits.minConfidence > 0.8 && digits.tallest >= lineH * 0.45) inserts.push({ at: g.before, token: { text: toEasternDigits(digits.text), confidence: digits.minConfidence } });
  }
  for (const ins of inserts.sort((a, b) => b.at - a.at)) tokens.splice(ins.at, 0, ins.token);
}

/** Vertical line centres (fraction of card height) of the right-aligned front text: 4 name/address lines + the NID. */
const FRONT_REGISTER_LINES = [0.316, 0.415, 0.523, 0.622, 0.83];

export interface LineRegistration {
  /** Card row y (fraction) where the layout expects `y0`: y = a·y0 + b. */
  a: number;
  b: number;
  /** Comb contrast of the chosen fit (ink inside the expected lines minus ink between them, 0..1). */
  score: number;
}

/**
 * Registers the front's text lines vertically: the rectification can be off by a few percent (an outline found
 * slightly inside or outside the card, a rounded corner), which puts the wrong line, or half a line, in a field
 * box. Every front line ends at the right text edge (x ≈ .945), so the ink profile of a narrow column there shows
 * all five lines; the affine y-map that best puts the layout's line centres on ink (and its gaps on blank) wins.
 * Falls back to the identity when the profile gives no clear answer.
 */
export function registerFrontLines(card: RawImage): LineRegistration {
  return registerLines(card, FRONT_REGISTER, 0.82, 0.95);
}

interface RegisterSpec {
  lines: number[];
  /** Pairs of line indexes whose midpoint must be blank. */
  gaps: [number, number][];
}
const FRONT_REGISTER: RegisterSpec = { lines: FRONT_REGISTER_LINES, gaps: [[0, 1], [1, 2], [2, 3]] };

function registerLines(card: RawImage, spec: RegisterSpec, fx0: number, fx1: number): LineRegistration {
  const identity = { a: 1, b: 0, score: 0 };
  const { width: W, height: H } = card;
  const x0 = Math.round(W * fx0);
  const x1 = Math.round(W * fx1);
  const c = card.channels;
  // Max channel: black print dark, coloured background light.
  const grey = new Uint8Array((x1 - x0) * H);
  for (let y = 0; y < H; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * W + x) * c;
      grey[y * (x1 - x0) + x - x0] = c === 1 ? card.data[i]! : Math.max(card.data[i]!, card.data[i + 1]!, card.data[i + 2]!);
    }
  }
  const thr = inkThreshold(grey);
  const prof = new Float64Array(H);
  for (let y = 0; y < H; y++) {
    let n = 0;
    for (let x = 0; x < x1 - x0; x++) if (grey[y * (x1 - x0) + x]! <= thr) n++;
    prof[y] = n / (x1 - x0);
  }
  const cum = new Float64Array(H + 1);
  for (let y = 0; y < H; y++) cum[y + 1] = cum[y]! + prof[y]!;
  const mean = (f0: number, f1: number) => {
    const a = Math.max(0, Math.min(H, Math.round(f0 * H)));
    const b = Math.max(0, Math.min(H, Math.round(f1 * H)));
    return b > a ? (cum[b]! - cum[a]!) / (b - a) : 0;
  };
  const fit = (a: number, b: number) => {
    let s = 0;
    const ys = spec.lines.map((y) => a * y + b);
    for (const y of ys) s += mean(y - 0.016 * a, y + 0.016 * a);
    // Blank bands between consecutive lines (the gap half-way between them).
    for (const [i, j] of spec.gaps) s -= mean((ys[i]! + ys[j]!) / 2 - 0.008 * a, (ys[i]! + ys[j]!) / 2 + 0.008 * a);
    return s / ys.length;
  };
  const base = fit(1, 0);
  let best = { a: 1, b: 0, score: base };
  for (let a = 0.9; a <= 1.1001; a += 0.01) {
    for (let b = -0.1; b <= 0.1001; b += 0.002) {
      // Keep the layout's centre region roughly in place: y = .5 may move at most 0.1.
      if (Math.abs(a * 0.5 + b - 0.5) > 0.1) continue;
      const s = fit(a, b);
      if (s > best.score + 1e-9) best = { a, b, score: s };
    }
  }
  // Only move when the fit is clearly better than the layout as is (noise moves nothing).
  if (best.score < 0.04 || best.score < base + 0.01) return { ...identity, score: base };
  return best;
}

/** A layout box moved by a line registration (height scaled with it). */
export function registerBox(box: Box, reg: LineRegistration): Box {
  if (reg.a === 1 && reg.b === 0) return box;
  const y = reg.a * box.y + reg.b;
  const h = box.h * reg.a;
  const y0 = Math.max(0, y);
  const y1 = Math.min(1, y + h);
  return { x: box.x, y: y0, w: box.w, h: y1 - y0 };
}
