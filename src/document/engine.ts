/**
 * The document engine: photo of an Egyptian national ID (front or back) → rectified card, side, every printed
 * field with a confidence, validation findings, fraud and quality signals. Offline, CPU only.
 *
 *   detect (OpenCV outline → perspective warp) → side + orientation (barcode cue, then the NID line must read)
 *   → fields (tesseract for Arabic lines, glyph reader for numbers) → checks → spoof/quality signals.
 */
import { VlensError } from '../server/errors.js';
import { decodeImageInput } from '../imaging/input.js';
import { compareKey, normalizeArabic } from './arabic.js';
import {
  GENDER_AR, birthDateFinding, expiryFindings, finding, genderFinding, idKeyFinding, isoDate, mergeFindings, nidFindings,
  parsePrintedDate, releaseDateFindings, type ValidationFinding,
} from './checks.js';
import { BARCODE_MIN, rankSides, sideCues, sideGuess, type SideCues } from './classify.js';
import { loadOpenCV, type OpenCV } from './cv.js';
import { findCards, shortSide, warpQuad, type CardCandidate, type Quad } from './detect.js';
import { alignOutlines, alignedCandidates, layoutScores, quadDistance, refineSource, snapTarget } from './refine.js';
import { cardNetQuad, cardNetSession, loadCardNet } from './card-net.js';
import {
  AFTER_HOUSE_NUMBER, DISAGREEMENT_CONFIDENCE, GENDER_WORDS, MARITAL_WORDS, RELIGION_WORDS, TEXT_MIN_CONFIDENCE, clipBackText, findVocabularyWord, guessVocabularyWord, hasUnreadMarks, lostNumber, pixelBox, zeroLedNumber, readBackDates, readDate, readIdKey,
  mergeLineNet, readIdLineByConsensus, readIdLineByNet, readIdNumber, prepareText, readText, registerBox, registerFrontLines, rereadDigitWords, snapToVocabulary, withLineNet, type FieldValue, type IdReading, type VocabularyWord,
} from './fields.js';
import { crop, decodeRgb, encodeRaw, rotate180, toGrey, type RawImage } from './image.js';
import { BACK_BOXES, CANONICAL_H, CANONICAL_W, FRONT_BOXES, FRONT_LINES, type Box, type PixelBox } from './layout.js';
import { GOVERNORATES } from './nid.js';
import { DISTRICTS } from './synth/places.js';
import { loadDigitTemplates, loadLatinTemplates } from './ocr/digits.js';
import { loadDigitNet } from './ocr/digit-net.js';
import { lineNetSession, loadLineNet } from './ocr/line-net.js';
import { TextReader, type PreparedLine, type TextLine } from './ocr/text.js';
import { glareFraction, judgeQuality, judgeSpoof, laplacianVariance, loadRecaptureModel, meanChroma, recaptureScores, type QualityResult, type SpoofResult } from './spoof.js';
import { WordLexicon, correctLine, correctNameLine, guessedAmongNames, jobLexicon, ocrDistance, placeLexicon, type LineCorrection } from './lexicon.js';
import { governorateEnglish, transliterateAddress, transliterateName } from './transliterate.js';

export type Side = 'front' | 'back';

export interface ScanOptions {
  /** The endpoint's side: the other side → 5007. */
  expectedSide?: Side;
  /** "Today" for date checks (future birth dates, expiry). */
  now?: Date;
}

export interface ScanResult {
  side: Side;
  docType: 'national_id';
  /** Every field read, with a 0..1 confidence (null value = not readable). */
  fields: Record<string, FieldValue>;
  /** Spec §7.1 / §7.2 field object, ready for the API's `data`. */
  data: Record<string, string | null>;
  /** Validation findings (spec §6.2 `validation_errors`), unsure fields included. */
  findings: ValidationFinding[];
  spoof: SpoofResult;
  quality: QualityResult;
  /** JPEG of the upright canonical card (CANONICAL_W × CANONICAL_H). */
  rectified: Buffer;
  /** Front only: PNG crop of the portrait for the face engine. */
  portrait?: Buffer;
  /** Field boxes on the rectified card, in its pixels. */
  boxes: Record<string, PixelBox>;
  /** The card outline in the (EXIF-rotated) photo, clockwise from the card's top-left. */
  quad: Quad;
  timingsMs: Record<string, number>;
}

/**
 * Below this the serial is reported as unsure. Its glyph posteriors are conservative: on the synthetic eval, 31
 * of 32 serials read at 0.7 or more were right, against 6 of 8 between 0.6 and 0.7.
 */
export const IDKEY_MIN_CONFIDENCE = 0.7;
/**
 * Tesseract's confidence in a given name read alike at four scales above which it is kept as read, not snapped
 * to a known name (readName). On the calibration set (seed 3, 389 fronts) four-scale agreement on a word the
 * lexicon changed came with at most 0.86 (the generator's names are all in the lexicon, so those reads were
 * wrong); the real card's out-of-lexicon name read right at 0.90.
 */
const REREAD_VARIANTS = ['large', 'small', 'padded'] as const;
const KEEP_AS_READ_CONFIDENCE = 0.88;
/** Below this the chosen NID is reported under 3001 even though it is structurally valid. */
export const ID_MIN_CONFIDENCE = 0.8;
export const MAX_PHOTO_SIDE = 2000;
/** Card-like outlines ranked by layout match per photo (each costs one small warp). */
const MAX_OUTLINES = 40;
/** Layout correlation above which the whole frame counts as a tight crop of a card (cards: ≥ 0.25, mostly ≥ 0.4). */
const FRAME_CARD_LAYOUT_SCORE = 0.35;
/**
 * Best-ranked outlines aligned with the layout (each costs a refinement, see refine.ts alignedCandidates;
 * computed only when the reading gets that far).
 */
const MAX_ALIGNED = 8;
/** Candidates (aligned, then as found) tried before giving up (each costs an orientation attempt). */
const MAX_CARD_CANDIDATES = 6;
/**
 * Candidates tried while none has read a valid number. On a patterned cloth the cloth's lines give many
 * card-sized outlines; the raw outline closest to the card may rank fifth by layout match, and only its
 * alignment reads (bench:clean seed 1056: the fourth candidate pair).
 */
const MAX_UNREAD_CANDIDATES = 10;
/**
 * Candidates read after the first one whose number is valid but unsure: a better outline is usually among the
 * next ones, and reading all of them put the back's p95 latency over 1.5 s (mostly on captures that stay unsure).
 */
const UNSURE_EXTRA_CANDIDATES = 2;
/**
 * Orientation hypotheses (best ranked first) whose number line the line network reads when the glyph reader found
 * no valid number in any: each side's likelier orientation (portrait or barcode position).
 */
const LINE_NET_HYPOTHESES = 2;
/**
 * The first outlines that read no valid number are read as the side the cues ruled out too. Blur turns the
 * barcode into a grey block: on the eval's heavy captures, 29 of 59 backs showed less barcode texture than
 * BARCODE_NONE, so only front hypotheses were read, and 17 backs whose number reads with confidence (true
 * corners) were refused as unreadable (5006).
 */
const OTHER_SIDE_CANDIDATES = 2;
/**
 * A number read on a side the cues ruled out must be surer than the usual trust threshold. Of the valid numbers
 * the first version of this path read (glyph reader first; eval set heavy and medium, calibration set heavy: 41),
 * the right ones all had ≥ 0.904; the two wrong ones had 0.802 (three digits off) and 0.001.
 */
const RULED_OUT_MIN_CONFIDENCE = 0.9;
/**
 * Candidates (best first) read by the line network's offset consensus when none read a number: on the calibration
 * set's missed captures, every capture it read had its sure readings on the first candidate.
 */
const CONSENSUS_CANDIDATES = 1;
/**
 * An answer without a sure number must come from an outline whose print matches the card's layout (refine.ts
 * layoutScores) unless its number has some confidence. The line networks' search returns the likeliest *valid*
 * number on anything, noise included: random-noise photos were answered "back of an ID, number flagged" (5 of 8,
 * number confidence 0.002 at most, layout 0.04–0.10). Genuine captures answered with an unsure number: layout
 * 0.51–0.52 (calibration set, heavy and medium). What the rule turned into refusals on the eval: two heavy backs
 * with no number read (confidence 0.000, layout 0.11 and 0.13; one had been answered as a front), now 5006, and
 * a real Canva-made mock card (0.000, 0.16), now 5001.
 */
const NO_CARD_LAYOUT_SCORE = 0.2;
const NO_CARD_ID_CONFIDENCE = 0.1;
/** zoomCandidates: the margin cut around the mask's card, as a share of its larger extent. */
const ZOOM_MARGIN = 0.15;
/** zoomCandidates: a cut larger than this share of the photo is no zoom. */
const ZOOM_MAX_SHARE = 0.6;
/** zoomCandidates: outlines of the cut aligned and read at most. */
const ZOOM_CANDIDATES = 4;
/** A mask candidate this close to a candidate already read (share of its diagonal) is that candidate again. */
const MASK_SAME_OUTLINE = 0.01;

export { TEXT_MIN_CONFIDENCE };

const quadDiagonal = (q: Quad) => Math.hypot(q[0].x - q[2].x, q[0].y - q[2].y);

const idBox = (side: Side) => (side === 'front' ? FRONT_BOXES.idNumber : BACK_BOXES.idNumber);

interface Oriented {
  side: Side;
  card: RawImage;
  id: IdReading;
}

export class DocumentEngine {
  private constructor(
    private readonly cv: OpenCV,
    private readonly text: TextReader,
  ) {}

  /** `textWorkers`: tesseract workers (default 2, one per core of the reference machine; ~120 MB each). */
  static async create(opts: { textWorkers?: number } = {}): Promise<DocumentEngine> {
    const [cv, text] = await Promise.all([loadOpenCV(), TextReader.create(opts.textWorkers ?? 2)]);
    loadDigitTemplates();
    loadLatinTemplates();
    loadDigitNet();
    // The networks' onnxruntime sessions are made now, not on the first request.
    await Promise.all([...(['id', 'idHeavy', 'date'] as const).map((k) => lineNetSession(loadLineNet(k))), cardNetSession(loadCardNet())]);
    loadRecaptureModel();
    return new DocumentEngine(cv, text);
  }

  async close(): Promise<void> {
    await this.text.close();
  }

  /** Finds, rectifies and orients the card; decides the side. Throws 3011 / 5001 / 5006. */
  private async locate(image: Buffer | string, now: Date, timings: Record<string, number>) {
    let t = performance.now();
    const decoded = await decodeImageInput(image);
    const photo = await decodeRgb(decoded.bytes, MAX_PHOTO_SIDE);
    timings.decode = performance.now() - t;

    t = performance.now();
    const outlines = findCards(this.cv, photo, MAX_OUTLINES);
    if (!outlines.length) throw new VlensError(3011);
    // Outline finders are often a few per cent off (or lock onto the barcode or a paper under the card): rank
    // the outlines by how well their content matches the printed layout and align the best few with it
    // (refine.ts). Candidates come lazily: an alignment costs tens of ms, and the first candidate usually reads.
    const aligned = alignedCandidates(this.cv, photo, outlines.map((c) => c.quad), MAX_ALIGNED, outlines.map((c) => c.method !== 'corner'));
    function* candidateList(): Generator<CardCandidate & { fromFrame: boolean; rough: boolean }> {
      let n = 0;
      for (const a of aligned) {
        // The list is longer while no candidate has read a valid number (`unsure` is set once one has).
        if (n++ >= (seen.unsure ? MAX_CARD_CANDIDATES : MAX_UNREAD_CANDIDATES)) return;
        const found = outlines[a.source]!;
        // A whole-frame candidate whose content matches the layout fairly well is a tight crop of a card.
        const fromFrame = found.method === 'frame' && a.layoutScore < FRAME_CARD_LAYOUT_SCORE;
        // An outline built from two sides (or aligned from one) is no evidence that a card is there: shapes in a
        // photo without a card give such outlines, and their quality must not turn "not an ID" into "unreadable".
        const rough = found.method === 'corner';
        yield { quad: a.quad, score: found.score, method: a.snapped ? found.method : 'layout', shortSidePx: shortSide(a.quad), fromFrame, rough };
      }
    }
    const candidates = candidateList();
    timings.detect = performance.now() - t;

    // Outlines best first; the first whose content reads as an ID card wins (papers and phones look card-like).
    t = performance.now();
    type Located = { found: CardCandidate; card: RawImage; quality: QualityResult; cues: SideCues };
    type Read = Located & { oriented: Oriented };
    const seen = {
      // The best candidate that is an outline in the photo, not just the whole frame: its quality decides between
      // "a card we cannot read" (5006) and "not an ID" (5001); without one there is no card at all (3011).
      firstOutline: null as Located | null,
      // An outline whose number line looks right but does not read as a valid NID is kept as a fallback only:
      // a later outline (the true card edge rather than an inner panel or a merged blob) may read it cleanly.
      fallback: null as Read | null,
      // A valid number read without confidence may come from an outline a few per cent off (the number line cut
      // at the card's edge): the other candidates are read too, and the most confident reading wins.
      unsure: null as Read | null,
      unreadOutlines: 0,
      /** Candidates the offset consensus reads when none gave a sure number. */
      forConsensus: [] as Located[],
      tried: [] as Quad[],
    };
    /** Reads one candidate: the reading when its number is sure, else null (with `seen` updated). */
    const attempt = async (found: CardCandidate & { fromFrame: boolean; rough: boolean }, consensus: boolean): Promise<Read | null> => {
      seen.tried.push(found.quad);
      const card = warpQuad(this.cv, photo, found.quad, CANONICAL_W, CANONICAL_H);
      const quality = judgeQuality(laplacianVariance(this.cv, toGrey(card)), found.shortSidePx, glareFraction(card));
      const cues = sideCues(card);
      if (consensus) seen.forConsensus.push({ found, card, quality, cues });
      if (!found.fromFrame && !found.rough) seen.firstOutline ??= { found, card, quality, cues };
      // On a mask outline (a cell of the mask, ~2 % of the photo, off at best) only a number the glyph reader chose
      // counts: on the calibration set the line network alone was sure of a wrong number there (capture 77,
      // front: 0.98), where its trust was calibrated on edge outlines.
      const counts = (o: Oriented | null) => (found.method !== 'mask' || !o?.id.idNumber || o.id.choice?.idNumber === o.id.idNumber ? o : null);
      const oriented = counts(await this.orient(card, cues, now));
      if (oriented?.id.idNumber && oriented.id.confidence >= ID_MIN_CONFIDENCE) return { found, card, quality, cues, oriented };
      if (!oriented?.id.idNumber && seen.unreadOutlines++ < OTHER_SIDE_CANDIDATES) {
        const other = counts(await this.orientAsRuledOut(card, cues, now));
        if (other) return { found, card, quality, cues, oriented: other };
      }
      if (oriented?.id.idNumber && (!seen.unsure || oriented.id.confidence > seen.unsure.oriented.id.confidence)) seen.unsure = { found, card, quality, cues, oriented };
      if (oriented) seen.fallback ??= { found, card, quality, cues, oriented };
      return null;
    };
    const done = (read: Read) => {
      timings.classify = performance.now() - t;
      return { photo, ...read };
    };
    let afterUnsure = 0;
    let n = 0;
    for (const found of candidates) {
      if (seen.unsure && afterUnsure++ >= UNSURE_EXTRA_CANDIDATES) break;
      const read = await attempt(found, n++ < CONSENSUS_CANDIDATES);
      if (read) return done(read);
    }
    // No outline gave a sure number: the card mask network's outline (card-net.ts) finds cards whose edges the
    // outline finders lost in the background. Not for the offset consensus: on the calibration set its reading of
    // a mask outline gave a wrong number sure at three offsets (capture 77, front), and a right one only once.
    const tMask = performance.now();
    const maskQuads = await this.maskQuads(photo, outlines);
    timings.mask = performance.now() - tMask;
    for (const found of this.maskCandidates(maskQuads, seen.tried)) {
      const read = await attempt(found, false);
      if (read) return done(read);
    }
    // Also over a number neither reader was sure of (under DISAGREEMENT_CONFIDENCE: not two sure readers that
    // disagree, nor an implausible holder's age, which stay flagged), as a sure network reading replaces an
    // unsure glyph reading in mergeLineNet.
    if (!seen.unsure || seen.unsure.oriented.id.confidence < DISAGREEMENT_CONFIDENCE) {
      for (const c of seen.forConsensus) {
        const oriented = await this.orientByConsensus(c.card, c.cues, now);
        if (oriented) return done({ ...c, oriented });
      }
    }
    // Still nothing sure: the outline finders again, on the region around the mask's own outline (the last of
    // maskQuads) only (zoomCandidates). Calibration set: 1 of its 26 misses read (front 21), none read wrong.
    const maskOwn = maskQuads.at(-1);
    if (maskOwn) {
      for (const found of this.zoomCandidates(photo, maskOwn, seen.tried, timings)) {
        const read = await attempt(found, false);
        if (read) return done(read);
      }
    }
    timings.classify = performance.now() - t;
    const answer = seen.unsure ?? seen.fallback;
    if (answer && (answer.oriented.id.idNumber ? answer.oriented.id.confidence : 0) >= NO_CARD_ID_CONFIDENCE) return { photo, ...answer };
    if (answer && this.layoutMatch(photo, answer.found.quad) >= NO_CARD_LAYOUT_SCORE) return { photo, ...answer };
    if (!seen.firstOutline) throw new VlensError(3011);
    return { photo, ...seen.firstOutline, oriented: null };
  }

  /**
   * Candidates from the card mask network's outline (`quads`, from maskQuads), unless one already read is as
   * close: the edge outline its layout-aligned quad snaps to (refine.ts snapTarget), then that aligned quad, then
   * the mask's own. `tried`
   * grows as the caller reads them (attempt).
   */
  private *maskCandidates(quads: Quad[], tried: Quad[]): Generator<CardCandidate & { fromFrame: boolean; rough: boolean }> {
    for (const q of quads) {
      if (tried.some((p) => quadDistance(p, q) < MASK_SAME_OUTLINE * quadDiagonal(q))) continue;
      // Rough: a region the network took for a card is no evidence that one is there (a face photo gave one), so
      // its quality must not turn "not an ID" into "unreadable" (see candidateList).
      yield { quad: q, score: 1, method: 'mask', shortSidePx: shortSide(q), fromFrame: false, rough: true };
    }
  }

  /**
   * The outline finders and the layout alignment run again on the photo cut to the mask's card and a margin
   * around it. In the whole photo a patterned background or a paper beside the card gives the finders stronger
   * outlines than the card's own edge, and the mask's outline is a few per cent off (the number line cut); in the
   * cut, the card is the largest thing there. Tried last, when nothing else read.
   */
  private *zoomCandidates(photo: RawImage, maskQuad: Quad, tried: Quad[], timings: Record<string, number>): Generator<CardCandidate & { fromFrame: boolean; rough: boolean }> {
    const t = performance.now();
    const xs = maskQuad.map((p) => p.x);
    const ys = maskQuad.map((p) => p.y);
    const margin = ZOOM_MARGIN * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    const left = Math.max(0, Math.floor(Math.min(...xs) - margin));
    const top = Math.max(0, Math.floor(Math.min(...ys) - margin));
    const box = { left, top, width: Math.min(photo.width, Math.ceil(Math.max(...xs) + margin)) - left, height: Math.min(photo.height, Math.ceil(Math.max(...ys) + margin)) - top };
    // A mask over most of the photo is no zoom.
    if (box.width * box.height > ZOOM_MAX_SHARE * photo.width * photo.height) return;
    const region = crop(photo, box);
    const outlines = findCards(this.cv, region, MAX_OUTLINES).filter((o) => o.method !== 'frame');
    timings.zoom = performance.now() - t;
    // Aligned lazily, as the main candidates are: the first one usually reads or none does.
    for (const a of alignedCandidates(this.cv, region, outlines.map((o) => o.quad), ZOOM_CANDIDATES, outlines.map((o) => o.method !== 'corner'))) {
      const quad = a.quad.map((p) => ({ x: p.x + left, y: p.y + top })) as Quad;
      if (tried.some((p) => quadDistance(p, quad) < MASK_SAME_OUTLINE * quadDiagonal(quad))) continue;
      // Read under the mask outlines' rule (only a number the glyph reader chose counts): on calibration front 39
      // (heavy) an outline of the cut gave the line network alone a wrong number it was sure of.
      yield { quad, score: 1, method: 'mask', shortSidePx: shortSide(quad), fromFrame: false, rough: true };
    }
  }

  private async maskQuads(photo: RawImage, outlines: CardCandidate[]): Promise<Quad[]> {
    const quad = await cardNetQuad(this.cv, photo);
    if (!quad) return [];
    const [aligned] = alignOutlines(this.cv, photo, [quad], 1, [false]);
    if (!aligned) return [quad];
    const edge = snapTarget(aligned.quad, outlines.map((o) => o.quad), outlines.map((o) => o.method !== 'corner'));
    return [...(edge >= 0 ? [outlines[edge]!.quad] : []), aligned.quad, quad];
  }

  /**
   * Tries side/orientation hypotheses best first; the first whose NID line reads as a valid number wins. The
   * glyph reader goes first everywhere; the line network (withLineNet) reads the line of the first
   * valid number too (a second opinion: an unsure number is replaced, two sure readings that differ are
   * flagged), or, when no hypothesis gave a valid number, the lines of the LINE_NET_HYPOTHESES likeliest ones.
   */
  private async orient(card: RawImage, cues: SideCues, now: Date): Promise<Oriented | null> {
    const flipped = rotate180(card);
    let best: { o: Oriented; score: number } | null = null;
    const tried: Oriented[] = [];
    for (const h of rankSides(cues)) {
      const upright = h.flipped ? flipped : card;
      const id = await readIdNumber(upright, idBox(h.side), now);
      const o: Oriented = { side: h.side, card: upright, id };
      if (id.idNumber) return { ...o, id: await withLineNet(id, upright, idBox(h.side), now) };
      tried.push(o);
      const n = id.line.glyphs.length;
      const score = -Math.abs(n - 14) + id.line.minConfidence + (h.margin > 0 ? 1 : 0);
      if (!best || score > best.score) best = { o, score };
    }
    for (const o of likeliest(tried).slice(0, LINE_NET_HYPOTHESES)) {
      const id = await withLineNet(o.id, o.card, idBox(o.side), now);
      if (id.idNumber) return { ...o, id };
    }
    // No valid number in any orientation: still an ID if a 14-glyph-like number line or the barcode is there.
    const barcode = Math.max(cues.barcodeUpright, cues.barcodeFlipped);
    if (best && (Math.abs(best.o.id.line.glyphs.length - 14) <= 3 || barcode >= BARCODE_MIN)) return best.o;
    return null;
  }

  /**
   * Last resort for a capture where no candidate read a number: the line network's offset consensus
   * (readIdLineByConsensus) on the likeliest orientations (as in orient), then on a side the cues ruled out, in
   * the orientation its own cue gives (a blurred back's barcode is too faint to count, not gone), where every
   * vote must reach RULED_OUT_MIN_CONFIDENCE. The consensus's wider ring is read on the likeliest orientations
   * only: on the eval and calibration misses, every number it read was there, and on a ruled-out side it cost
   * ~0.2 s more per refused capture.
   */
  private async orientByConsensus(card: RawImage, cues: SideCues, now: Date): Promise<Oriented | null> {
    const ranked = rankSides(cues);
    const hypotheses = likeliest(ranked).slice(0, LINE_NET_HYPOTHESES).map((h) => ({ ...h, minConfidence: ID_MIN_CONFIDENCE, wide: true }));
    for (const side of (['front', 'back'] as const).filter((s) => !ranked.some((h) => h.side === s))) {
      hypotheses.push({ ...sideGuess(cues, side), minConfidence: RULED_OUT_MIN_CONFIDENCE, wide: false });
    }
    const flipped = rotate180(card);
    for (const h of hypotheses) {
      const upright = h.flipped ? flipped : card;
      const byNet = await readIdLineByConsensus(upright, idBox(h.side), now, h.minConfidence, h.wide);
      if (!byNet) continue;
      const glyphs = await readIdNumber(upright, idBox(h.side), now);
      return { side: h.side, card: upright, id: { ...glyphs, choice: null, idNumber: byNet.idNumber, confidence: byNet.confidence } };
    }
    return null;
  }

  /**
   * The sides rankSides ruled out (see OTHER_SIDE_CANDIDATES), both orientations. The line network reads first
   * (a few ms a line; this runs on every unreadable capture, non-cards included); only where it is sure does the
   * glyph reader read too, and against the cues only a number read with RULED_OUT_MIN_CONFIDENCE counts.
   */
  private async orientAsRuledOut(card: RawImage, cues: SideCues, now: Date): Promise<Oriented | null> {
    const ranked = new Set(rankSides(cues).map((h) => h.side));
    for (const side of (['back', 'front'] as const).filter((s) => !ranked.has(s))) {
      const box = idBox(side);
      for (const upright of [card, rotate180(card)]) {
        const byNet = await readIdLineByNet(crop(upright, pixelBox(box, upright)), now);
        if (!byNet || byNet.confidence < RULED_OUT_MIN_CONFIDENCE) continue;
        const id = mergeLineNet(await readIdNumber(upright, box, now), byNet);
        if (id.idNumber === byNet.idNumber && id.confidence >= RULED_OUT_MIN_CONFIDENCE) return { side, card: upright, id };
      }
    }
    return null;
  }

  /** How well the print inside `quad` matches the card's layout (best side and orientation; see NO_CARD_LAYOUT_SCORE). */
  private layoutMatch(photo: RawImage, quad: Quad): number {
    const src = refineSource(this.cv, photo);
    try {
      return layoutScores(this.cv, src, quad)[0]!.score;
    } finally {
      src.delete();
    }
  }

  /** Classification only (spec `/v1/ocr/classification`): side and document type, no field reading. */
  async classify(image: Buffer | string, opts: { now?: Date } = {}): Promise<{ docType: 'national_id'; side: Side }> {
    const { oriented, quality } = await this.locate(image, opts.now ?? new Date(), {});
    if (!oriented) {
      if (!quality.ok) throw new VlensError(5006);
      throw new VlensError(5001);
    }
    return { docType: 'national_id', side: oriented.side };
  }

  async scan(image: Buffer | string, opts: ScanOptions = {}): Promise<ScanResult> {
    const now = opts.now ?? new Date();
    const timings: Record<string, number> = {};
    const t0 = performance.now();
    const { photo, found, quality, oriented } = await this.locate(image, now, timings);
    if (!oriented) {
      if (!quality.ok) throw new VlensError(5006);
      throw new VlensError(5001);
    }
    // A capture too blurred or small to read that gave no number is "recapture" (5006) before "wrong side": its side
    // then rests on faint cues (a blurred back's barcode reads as a front's missing one), and an app told it sent
    // the wrong side asks the user to turn a card that was the right way round.
    if (!quality.ok && !oriented.id.idNumber) throw new VlensError(5006);
    if (opts.expectedSide && oriented.side !== opts.expectedSide) throw new VlensError(5007);

    let t = performance.now();
    const { card, side, id } = oriented;
    // The recapture check runs on this thread while the text workers read the card's lines (see startTextReads).
    let checked: { spoof: SpoofResult; ms: number } | undefined;
    const checkSpoof = () => {
      const ts = performance.now();
      const spoof = judgeSpoof({ chroma: meanChroma(card), ...recaptureScores(this.cv, photo, found.quad), glare: quality.glare });
      checked = { spoof, ms: performance.now() - ts };
    };
    const read = side === 'front' ? await this.readFront(card, id, now, checkSpoof) : await this.readBack(card, id, now, checkSpoof);
    if (!checked) throw new Error('readFront / readBack did not run the recapture check');
    const { spoof } = checked;
    // The read stage is reported without the check that ran inside it.
    timings.spoof = checked.ms;
    timings.read = performance.now() - t - checked.ms;

    t = performance.now();
    const rectified = await encodeRaw(card, 'jpeg');
    const portrait = side === 'front' ? await encodeRaw(crop(card, pixelBox(FRONT_BOXES.portrait, card)), 'png') : undefined;
    const boxes: Record<string, PixelBox> = {};
    for (const [name, box] of Object.entries(side === 'front' ? FRONT_BOXES : BACK_BOXES) as [string, Box][]) boxes[name] = pixelBox(box, card);
    timings.encode = performance.now() - t;
    timings.total = performance.now() - t0;
    for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k]!);

    return {
      side,
      docType: 'national_id',
      fields: read.fields,
      data: read.data,
      findings: mergeFindings(read.findings),
      spoof,
      quality,
      rectified,
      portrait,
      boxes,
      quad: found.quad,
      timingsMs: timings,
    };
  }

  /**
   * A name line that does not read as known names with confidence is read again at a larger and a smaller scale
   * and with a wide margin (short bold names are tesseract's weak spot); the most confident reading wins, unless
   * a given name read alike every time is kept as read (below).
   */
  private async readName(card: RawImage, box: Box, line: TextLine, single: boolean): Promise<FieldValue> {
    const asRead = nameLetters(line.text);
    let agreeing = 0;
    const first = nameField(line, single);
    const reads = [first];
    const best = await this.rereadUnsure(card, box, true, first, (reread) => {
      if (compareKey(nameLetters(reread.text)) === compareKey(asRead)) agreeing++;
      const field = nameField(reread, single);
      reads.push(field);
      return field;
    });
    // The lexicon holds common names, not every name: a given name tesseract is sure of (KEEP_AS_READ_CONFIDENCE)
    // and reads alike at all four scales is printed so, even where a known name is one letter away. It is kept
    // as read, and stays flagged as unknown. (A real card's name was "corrected" to a neighbour this way.)
    if (single && best.confidence < TEXT_MIN_CONFIDENCE && agreeing === REREAD_VARIANTS.length && line.confidence >= KEEP_AS_READ_CONFIDENCE && compareKey(asRead) !== compareKey(best.value ?? '')) {
      return { value: asRead, confidence: Math.min(best.confidence, TEXT_MIN_CONFIDENCE - 0.01) };
    }
    return single && best.confidence < TEXT_MIN_CONFIDENCE ? mostVotedName(reads) ?? best : best;
  }

  /**
   * A line that did not read as known words with confidence (a name, a job) is read again at a larger and a
   * smaller scale and with a wide margin (short bold words are tesseract's weak spot); the most confident reading
   * wins. A second read that disagreed with the first and is not made of known words is not trusted.
   */
  private async rereadUnsure(card: RawImage, box: Box, rightAligned: boolean, first: FieldValue, field: (line: TextLine) => FieldValue & { unknown: number }): Promise<FieldValue> {
    let best = fieldValue(first);
    for (const variant of REREAD_VARIANTS) {
      if (best.confidence >= TEXT_MIN_CONFIDENCE) break;
      const again = field(await readText(this.text, card, box, rightAligned, variant));
      if (again.unknown) again.confidence = Math.min(again.confidence, TEXT_MIN_CONFIDENCE - 0.01);
      if (again.confidence > best.confidence) best = fieldValue(again);
    }
    return best;
  }

  /**
   * Hands prepared lines to the text workers and returns their reading, to be awaited once this thread's own work
   * is done: the jobs are with the workers before that work starts (preparing them takes a few sharp calls that
   * would otherwise wait behind it), so the tesseract threads and this one read at the same time.
   */
  private async startTextReads(prepared: Promise<PreparedLine>[]): Promise<{ reading: Promise<TextLine[]> }> {
    const reading = Promise.all((await Promise.all(prepared)).map((p) => this.text.readPrepared(p)));
    // Awaited later: a failure must not count as unhandled in the meantime (Node would end the process).
    reading.catch(() => undefined);
    // Wrapped: an async function returning the promise itself would wait for it.
    return { reading };
  }

  /** `meanwhile`: work for this thread while the text workers read (called once, after their jobs are given). */
  private async readFront(card: RawImage, id: IdReading, now: Date, meanwhile: () => void) {
    // The rectification may be off by part of a line: put the layout's line boxes on the printed lines first.
    const reg = registerFrontLines(card);
    const [firstBox, lastBox, addr1Box, addr2Box] = [FRONT_BOXES.firstName, FRONT_BOXES.lastNames, FRONT_BOXES.address1, FRONT_BOXES.address2].map((b) =>
      registerBox(b, reg),
    ) as [Box, Box, Box, Box];
    // The text workers read the four lines while this thread checks for a recapture and reads the serial and the
    // birth date.
    const { reading: textLines } = await this.startTextReads([firstBox, lastBox, addr1Box, addr2Box].map((b) => prepareText(card, b, true)));
    meanwhile();
    const idKey = await readIdKey(card);
    const dob = await readDate(card, FRONT_BOXES.dateOfBirth, { digits: 8, minYear: 1900, maxYear: now.getUTCFullYear() });
    const [first, last, addr1Line, addr2Line] = await textLines;
    const [address1, address2] = await Promise.all([rereadDigitWords(card, addr1Box, addr1Line!, true, FRONT_LINES.address1.x), rereadDigitWords(card, addr2Box, addr2Line!)]);

    const findings: ValidationFinding[] = [];
    const nid = nidFindings('idNumber', id.idNumber, id.line.text, now);
    findings.push(...nid.findings);
    if (id.idNumber && id.confidence < ID_MIN_CONFIDENCE) findings.push(finding('idNumber', id.idNumber, 3001, 'low confidence reading'));
    const info = nid.info;

    // The printed birth date sits in a guilloche panel and is often unreadable: only a clean read is compared.
    const printedDob = dob.plausible && dob.confidence >= 0.7 ? parsePrintedDate(dob.value ?? '') : null;
    const dobFinding = birthDateFinding(printedDob, info?.birthDate ?? null);
    if (dobFinding) findings.push(dobFinding);
    const birthDate = info?.birthDate ?? null;
    if (!birthDate) findings.push(finding('dateOfBirth', null, 3007, 'no readable birth date'));

    const idKeyBad = idKeyFinding(idKey.value);
    if (idKeyBad) findings.push(idKeyBad);
    else if (idKey.confidence < IDKEY_MIN_CONFIDENCE) findings.push(finding('idKey', idKey.value, 3004, 'low confidence reading'));

    // Governorate: as printed at the end of address line 2 when recognisable, else from the NID's code.
    const address2Field = districtAgrees(addressField(address2.text, address2.confidence, true));
    const govFromAddress = governorateOf(address2Field.value ?? '');
    const govern = govFromAddress ?? info?.governorate?.ar ?? null;
    if (!govern) findings.push(finding('govern', null, 3003, 'governorate not recognised'));
    // The ID number records where the birth was registered, which need not be where the holder lives.
    else if (!govFromAddress) findings.push(finding('govern', govern, 5008, 'address unreadable: governorate of birth registration from the ID number'));

    const fields: Record<string, FieldValue> = {
      first_name: await this.readName(card, firstBox, first!, true),
      last_names: await this.readName(card, lastBox, last!, false),
      address_1: addressField(address1.text, address1.confidence),
      address_2: address2Field,
      idNumber: { value: id.idNumber ?? (id.line.text || null), confidence: id.idNumber ? id.confidence : 0 },
      idKey,
      dateOfBirth: { value: birthDate, confidence: birthDate ? id.confidence : 0 },
      gender: { value: info?.gender ? GENDER_AR[info.gender] : null, confidence: info?.gender ? id.confidence : 0 },
      govern: { value: govern, confidence: govFromAddress ? Math.max(address2Field.confidence, 0.85) : info?.governorate ? id.confidence : 0 },
    };
    for (const name of ['first_name', 'last_names', 'address_1', 'address_2'] as const) {
      const f = fields[name]!;
      if (!f.value || f.confidence < TEXT_MIN_CONFIDENCE) findings.push(finding(name, f.value, 5008, 'low confidence reading'));
    }
    findings.push(...derivedFromUnsureId(findings, fields, ['dateOfBirth', 'gender']));
    // The joined fields are as sure as their weakest part, and reported with it.
    for (const [joined, parts] of [['name', ['first_name', 'last_names']], ['address', ['address_1', 'address_2']]] as const) {
      const conf = Math.min(...parts.map((p) => fields[p]!.confidence));
      fields[joined] = { value: parts.map((p) => fields[p]!.value).filter(Boolean).join(' ') || null, confidence: conf };
      if (conf < TEXT_MIN_CONFIDENCE) findings.push(finding(joined, fields[joined]!.value, 5008, 'low confidence reading'));
    }

    const firstName = fields.first_name!.value;
    const lastNames = fields.last_names!.value;
    const name = fields.name!.value;
    const address = fields.address!.value;
    const data: Record<string, string | null> = {
      first_name: firstName,
      last_names: lastNames,
      name,
      first_name_english: firstName ? transliterateName(firstName) : null,
      last_names_english: lastNames ? transliterateName(lastNames) : null,
      name_english: name ? transliterateName(name) : null,
      address_1: fields.address_1!.value,
      address_2: fields.address_2!.value,
      address,
      address_english: address ? transliterateAddress(address) : null,
      govern,
      govern_english: govern ? (governorateEnglish(govern) ?? info?.governorate?.en ?? null) : null,
      idNumber: id.idNumber,
      idKey: idKey.value,
      dateOfBirth: birthDate,
      gender: fields.gender!.value,
    };
    return { fields, data, findings };
  }

  /**
   * A word of a closed vocabulary from a line read whole (findVocabularyWord), else from its own box read alone,
   * else a guess among the forms the holder's gender allows (guessVocabularyWord, flagged).
   * Read whole, the gender · religion · marital status line sometimes loses a word (Tesseract merges it with its
   * neighbour or reads nothing there); on the calibration set (seed 3), 4 of 61 clean backs had no religion,
   * and the religion's box read alone gave it on each.
   */
  private async wordOrItsBox(
    card: RawImage,
    line: TextLine,
    box: Box,
    vocabulary: readonly string[],
    others: readonly (readonly string[])[],
    gender: 'male' | 'female' | null,
  ): Promise<VocabularyWord> {
    const found = findVocabularyWord(line, vocabulary, others);
    if (found.value) return found;
    // The box alone, then at a smaller and a larger scale: on the calibration set (seed 3) the small scale found
    // 15 religions the first two reads missed (Amiri's مسلم, whose teeth the plain scale merges).
    let boxRead: TextLine | null = null;
    for (const variant of ['plain', 'small', 'large'] as const) {
      const read = await readText(this.text, card, box, false, variant);
      boxRead ??= read;
      const inBox = findVocabularyWord(read, vocabulary, others);
      if (inBox.value) return inBox;
    }
    // Nothing within reach: a guess among the forms the holder's gender allows (flagged), from the line and the
    // box's plain read.
    if (!gender) return { value: null, confidence: 0 };
    return guessVocabularyWord([line, boxRead!], vocabulary.filter((w) => genderOfWord(w) === gender), others);
  }

  private async readBack(card: RawImage, id: IdReading, now: Date, meanwhile: () => void) {
    // The text workers read the four lines while this thread checks for a recapture and reads the dates.
    const { reading: textLines } = await this.startTextReads([BACK_BOXES.job1, BACK_BOXES.job2, BACK_BOXES.genderReligionMarital, BACK_BOXES.husbandName].map((b) => prepareText(card, clipBackText(b))));
    meanwhile();
    const { release, expiry } = await readBackDates(card, now);
    const [job1, job2, grm, husband] = await textLines;

    const findings: ValidationFinding[] = [];
    const nid = nidFindings('idNumber', id.idNumber, id.line.text, now);
    findings.push(...nid.findings);
    if (id.idNumber && id.confidence < ID_MIN_CONFIDENCE) findings.push(finding('idNumber', id.idNumber, 3001, 'low confidence reading'));
    const info = nid.info;

    const genderWords = [GENDER_WORDS.male, GENDER_WORDS.female];
    const genderWord = findVocabularyWord(grm!, genderWords, [RELIGION_WORDS, MARITAL_WORDS]);
    const printedGender = genderWord.value === GENDER_WORDS.male ? 'male' : genderWord.value === GENDER_WORDS.female ? 'female' : null;
    const genderBad = genderFinding(printedGender, info);
    if (genderBad) findings.push(genderBad);
    const holderGender = holderGenderOf(id, info?.gender ?? null, { gender: printedGender, confidence: genderWord.confidence });
    // Religion and marital status are printed in the holder's grammatical gender, which the ID number encodes.
    const [religionWord, maritalWord] = await Promise.all([
      this.wordOrItsBox(card, grm!, BACK_BOXES.religion, RELIGION_WORDS, [genderWords, MARITAL_WORDS], holderGender),
      this.wordOrItsBox(card, grm!, BACK_BOXES.maritalStatus, MARITAL_WORDS, [genderWords, RELIGION_WORDS], holderGender),
    ]);
    const religion = agreeWithGender(religionWord, holderGender);
    const marital = agreeWithGender(maritalWord, holderGender);

    const releaseDate = parsePrintedDate(release.value ?? '');
    findings.push(...releaseDateFindings(release.value, releaseDate, info?.birthDate ?? null, now));
    const expiryDate = parsePrintedDate(expiry.value ?? '');
    findings.push(...expiryFindings(expiry.value, expiryDate, now));

    // The husband line is printed only for married women ("الزوج / name"); an empty crop reads as nothing or noise.
    // Men's cards never carry it: for them the line is known to be empty, whatever texture the crop shows.
    const noHusband = holderGender === 'male';
    const husbandLine = noHusband ? { value: null, confidence: 0.95 } : optionalTextField(husband!);
    // Only a woman's card can carry a husband: a married man's has the line empty, as every man's.
    const married = !noHusband && isMarried(marital.value);
    const noName = { value: null, confidence: 0, unknown: 0 };
    let husbandField: FieldValue | null = husbandLine.value ? husbandNameField(husband!) : null;
    // A married woman's card may print the line: a weak or missing read is read again as names are.
    if (married && (husbandField?.confidence ?? 0) < TEXT_MIN_CONFIDENCE) {
      const again = await this.rereadUnsure(card, clipBackText(BACK_BOXES.husbandName), false, husbandField ?? noName, (line) => husbandNameField(line) ?? noName);
      if (again.value) husbandField = again;
    }
    const husbandText = husbandField?.value ?? null;
    const job1Field = jobField(textField(job1!));

    const fields: Record<string, FieldValue> = {
      idNumber: { value: id.idNumber ?? (id.line.text || null), confidence: id.idNumber ? id.confidence : 0 },
      // The card prints only year and month of issue.
      releaseDate: { value: releaseDate ? isoDate(releaseDate).slice(0, 7) : null, confidence: releaseDate ? release.confidence : 0 },
      job: await this.rereadUnsure(card, clipBackText(BACK_BOXES.job1), false, job1Field, (line) => jobField(textField(line))),
      jobTitle: jobTitleField(fieldValue(jobField(optionalTextField(job2!))), job1Field.value),
      gender: { value: genderWord.value ?? (info?.gender ? GENDER_AR[info.gender] : null), confidence: genderWord.value ? genderWord.confidence : 0 },
      religion,
      maritalStatus: marital,
      // Nothing read where a married woman's card may print the husband is not a sure "nothing".
      husbandName: { value: husbandText, confidence: husbandText ? husbandField!.confidence : husbandLine.value || married ? 0.5 : husbandLine.confidence },
      idExpiry: { value: expiryDate?.day !== undefined ? isoDate(expiryDate) : null, confidence: expiryDate ? expiry.confidence : 0 },
    };
    for (const name of ['job', 'religion', 'maritalStatus'] as const) {
      const f = fields[name]!;
      if (!f.value || f.confidence < TEXT_MIN_CONFIDENCE) findings.push(finding(name, f.value, 5008, 'low confidence reading'));
    }
    // Optional lines: a blank crop is a confident "nothing printed"; noise or a weak read is reported.
    for (const name of ['jobTitle', 'husbandName'] as const) {
      const f = fields[name]!;
      if (f.confidence < TEXT_MIN_CONFIDENCE) findings.push(finding(name, f.value, 5008, 'low confidence reading'));
    }
    if (!genderWord.value) findings.push(finding('gender', null, 5008, 'low confidence reading'));
    // Dates read with a weak glyph are reported under their format code rather than trusted silently.
    if (releaseDate && release.confidence < TEXT_MIN_CONFIDENCE) findings.push(finding('releaseDate', isoDate(releaseDate), 3008, 'low confidence reading'));
    if (expiryDate && expiry.confidence < TEXT_MIN_CONFIDENCE) findings.push(finding('idExpiry', isoDate(expiryDate), 3009, 'low confidence reading'));

    const data: Record<string, string | null> = {
      idNumber: id.idNumber,
      releaseDate: fields.releaseDate!.value,
      job: fields.job!.value,
      jobTitle: fields.jobTitle!.value,
      gender: fields.gender!.value,
      religion: religion.value,
      maritalStatus: marital.value,
      husbandName: husbandText,
      idExpiry: fields.idExpiry!.value,
    };
    return { fields, data, findings };
  }
}

/**
 * The holder's gender for the back's rules that lean on it (the status words' forms, the husband line): the ID
 * number's when the number is sure, else the printed gender word's when that read is sure, else none. A wrong
 * number read unsure may carry the other gender, and agreeWithGender would then turn مسلمة into a trusted مسلم.
 */
export function holderGenderOf(
  id: Pick<IdReading, 'idNumber' | 'confidence'>,
  fromId: 'male' | 'female' | null,
  printed: { gender: 'male' | 'female' | null; confidence: number },
): 'male' | 'female' | null {
  if (id.idNumber && id.confidence >= ID_MIN_CONFIDENCE) return fromId;
  return printed.confidence >= TEXT_MIN_CONFIDENCE ? printed.gender : null;
}

/** Masculine → feminine forms of the back's status words, as cards print them. */
const FEMININE: Readonly<Record<string, string>> = { مسلم: 'مسلمه', مسيحي: 'مسيحيه', يهودي: 'يهوديه', متزوج: 'متزوجه', مطلق: 'مطلقه', أرمل: 'أرمله', أعزب: 'آنسه' };

/**
 * The birth date and the front's gender are the ID number's own digits: when the number is reported unsure, so
 * are they. Without this a wrong number read with low confidence (flagged, 3001) gave a wrong birth date and
 * gender returned without a flag (eval set: 2 birth dates, 1 gender).
 */
function derivedFromUnsureId(findings: ValidationFinding[], fields: Record<string, FieldValue>, derived: string[]): ValidationFinding[] {
  if (!findings.some((f) => f.field === 'idNumber')) return [];
  return derived
    .filter((name) => fields[name]?.value && !findings.some((f) => f.field === name))
    .map((name) => finding(name, fields[name]!.value, 5008, 'derived from an unsure ID number'));
}

/** Relative edit distance under which a status word's gender agreement makes it trustworthy (agreeWithGender). */
const NEAR_VOCABULARY_WORD = 0.2;

/** The grammatical gender of a religion or marital-status word (FEMININE's keys are the masculine forms). */
function genderOfWord(word: string): 'male' | 'female' {
  const key = compareKey(word);
  return Object.keys(FEMININE).some((male) => compareKey(male) === key) ? 'male' : 'female';
}

/**
 * A status word read within one slip of its masculine or feminine form takes the form of the holder's gender
 * (from the ID number), and the agreement makes it trustworthy. A clear read of the other gender's form is kept as
 * read (and stays as unsure as it was): the card may be wrong, or the number misread.
 */
function agreeWithGender(field: VocabularyWord, gender: 'male' | 'female' | null): FieldValue {
  if (!field.value || !gender || field.confidence < 0.6) return field;
  const key = compareKey(field.value);
  for (const [male, female] of Object.entries(FEMININE)) {
    if (key !== compareKey(male) && key !== compareKey(female)) continue;
    const want = gender === 'male' ? male : female;
    const other = gender === 'male' ? female : male;
    // Exact read of the other form: not a slip, keep it.
    if (key === compareKey(other) && field.confidence >= TEXT_MIN_CONFIDENCE) return field;
    // The form the gender asks for vouches for a word read exactly or with one slip in six letters or more, not
    // for a farther snap: a word two letters off (مسلمة for مطلقة) was trusted.
    return { value: want, confidence: (field.distance ?? 1) < NEAR_VOCABULARY_WORD ? Math.max(field.confidence, 0.9) : field.confidence };
  }
  return field;
}

/**
 * Job lines: slips fixed against the occupation/employer lexicon; known words vouch like names do. A read with no
 * word of two letters (a digit, a lone letter: what tesseract makes of a short job it cannot read, trusted at 0.94
 * on the calibration set) is no job.
 */
function jobField(field: FieldValue): FieldValue & { unknown: number } {
  if (!field.value) return { ...field, unknown: 0 };
  const letters = arabicLetters(field.value);
  if (!letters.split(' ').some((w) => w.length > 1)) return { value: null, confidence: 0, unknown: 1 };
  const fix = correctLine(letters, jobLexicon());
  const noisy = letters.replace(/\s/g, '').length < field.value.replace(/\s/g, '').length;
  return { value: fix.text, confidence: lexiconConfidence(field.confidence * (noisy ? 0.7 : 1), fix), unknown: fix.unknown };
}

/** Just the value and its confidence (a field's working notes, such as `unknown`, stay inside the engine). */
function fieldValue(f: FieldValue): FieldValue {
  return { value: f.value, confidence: f.confidence };
}

function textField(line: { text: string; confidence: number }): FieldValue {
  return { value: line.text || null, confidence: line.text ? line.confidence : 0 };
}

/** The Arabic letters and spaces of a line (names and jobs are printed in Arabic letters only). */
function arabicLetters(text: string): string {
  return text.replace(/[^\u0621-\u064A\s]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The words of a name line as read: Arabic letters only, and no one-letter words (a lone letter is a speck or a stroke read as one). */
function nameLetters(text: string): string {
  return arabicLetters(text)
    .split(' ')
    .filter((w) => w.length > 1)
    .join(' ');
}

/**
 * A name line: digits, Latin and punctuation in the OCR output are noise. `single`: the given-name line, one
 * name, which is unsure when it is not a known name (see lexicon.ts). `unknown`: words outside the lexicon.
 */
function nameField(line: { text: string; confidence: number }, single = false): FieldValue & { unknown: number } {
  const text = nameLetters(line.text);
  const dropped = line.text.replace(/\s/g, '').length - text.replace(/\s/g, '').length;
  if (!text) return { value: null, confidence: 0, unknown: 0 };
  const fix = correctNameLine(text);
  // Noise in a name line means the read was shaky: lower the confidence so it is reported.
  const confidence = lexiconConfidence(line.confidence * (dropped ? 0.7 : 1), fix);
  // A name does not end in a word that needs another after it (the article, عبد, ابو, بن): the rest was lost
  // ("ناصر عبد الحليم ال" for ...الشناوى was trusted at 0.95 on the calibration set).
  const cut = /(^|\s)(ال|عبد|ابو|بن)$/.test(compareKey(fix.text));
  return { value: fix.text, confidence: (single && fix.unknown) || cut ? Math.min(confidence, TEXT_MIN_CONFIDENCE - 0.01) : confidence, unknown: fix.unknown };
}

/** Address lines: words checked against the place lexicon; numbers come from the glyph reader as they are. */
function addressField(text: string, lineConfidence: number, line2 = false): FieldValue & { snapped?: boolean } {
  if (!text) return { value: null, confidence: lineConfidence };
  const fixed = correctLine(text, placeLexicon());
  const snap = line2 ? snapAddress2(dashBeforeGovernorate(fixed.text)) : snapAddress1Head(fixed.text);
  const fix = snap ? { ...fixed, text: snap.text } : fixed;
  // Slips are fixed, but known words vouch for little here: an address is mostly common words (مركز, قسم, the
  // governorate), and a misread district or house number is still a known word or a number. The line keeps
  // tesseract's confidence; a two-edit fix makes it unsure.
  const unsure = fix.corrected2 || (!line2 && guessedAmongNames(fix)) || hasUnreadMarks(fix.text) || zeroLedNumber(fix.text) || (!line2 && lostNumber(fix.text));
  const confidence = unsure || snap?.snapped ? Math.min(lineConfidence, TEXT_MIN_CONFIDENCE - 0.01) : fix.unknown ? unknownWordsConfidence(lineConfidence) : lineConfidence;
  return { value: fix.text, confidence, snapped: snap?.snapped ?? false };
}

/** Governorate code by the comparison key of its name as cards print it. */
const GOVERNORATE_BY_KEY: ReadonlyMap<string, string> = new Map(Object.entries(GOVERNORATES).map(([code, g]) => [compareKey(g.ar), code]));

/**
 * Address line 2 ends in " - <governorate>". Tesseract often reads the dash as a digit or a symbol (and the glyph
 * reader then confirms a "number"): when the governorate is recognised at the end, what stands between it and
 * the district is the dash.
 */
export function dashBeforeGovernorate(line: string): string {
  const words = line.split(' ').filter(Boolean);
  // The line ends in the governorate's name. Tesseract sometimes puts the dash (a neutral character in RTL
  // text) at the end instead of before it, or reads a speck after it as a digit: what follows a recognised
  // governorate, or a lone symbol at the end, is dropped (the dash is put back below).
  let tail = 0;
  while (tail < words.length - 1 && !/[\u0621-\u064A]/.test(words[words.length - 1 - tail]!)) tail++;
  const beforeTail = words.slice(0, words.length - tail);
  const govEnds = [1, 2].some((n) => beforeTail.length > n && GOVERNORATE_BY_KEY.has(compareKey(beforeTail.slice(-n).join(' '))));
  if (govEnds) words.splice(words.length - tail);
  else while (words.length > 1 && !/[\u0621-\u064A0-9\u0660-\u0669]/.test(words[words.length - 1]!)) words.pop();
  line = words.join(' ');
  for (const n of [1, 2]) {
    if (words.length <= n || !GOVERNORATE_BY_KEY.has(compareKey(words.slice(-n).join(' ')))) continue;
    const head = words.slice(0, -n);
    const last = head[head.length - 1]!;
    if (/^[-–]$/.test(last)) return line;
    // Junk (digits, symbols) where the dash belongs is replaced; otherwise the dash was lost and is put back.
    if (!/[\u0621-\u064A]/.test(last)) head.pop();
    if (!head.length) return line;
    return [...head, '-', ...words.slice(-n)].join(' ');
  }
  return line;
}

/** Edits (ocrDistance: a dot slip counts half) a place may be from the one it is taken for: one, two in names of eight letters or more. */
const placeSlips = (key: string) => (key.replace(/\s/g, '').length >= 8 ? 2 : 1);

/** The unique nearest entry of `places` within placeSlips of `text`, as printed, or null (also when exact). */
function nearestPlace(text: string, places: WordLexicon): string | null {
  const key = compareKey(text);
  const near = places.nearest(key, placeSlips(key));
  return near && near.distance > 0 ? places.display(near.word) : null;
}

/** Words line 1 starts with when it does not start with the house number (a village, a tower, a villa). */
const LINE1_HEADS = WordLexicon.ofPhrases(['قريه', 'عزبه', 'كفر', 'ناحيه', 'نجع', 'برج', 'فيلا']);
const AFTER_HOUSE_NUMBER_WORDS = WordLexicon.ofPhrases(AFTER_HOUSE_NUMBER);

/**
 * Address line 1 starts from a short closed list: a village word (قرية, عزبة, كفر, ناحية, نجع), برج or فيلا, or
 * the house number and شارع / عمارات. Such a word read with a slip that the whole place lexicon cannot put right
 * (قريم is one letter from قريه and from the name كريم) is put right against that list: three letters at least,
 * one edit, only when exactly one word is that near. A line put right is not vouched for.
 */
export function snapAddress1Head(line: string): { text: string; snapped: boolean } {
  const words = line.split(' ').filter(Boolean);
  const at = /^[0-9٠-٩]+$/.test(words[0] ?? '') ? 1 : 0;
  const word = words[at] ?? '';
  const list = at ? AFTER_HOUSE_NUMBER_WORDS : LINE1_HEADS;
  if (Array.from(compareKey(word)).length < 3 || !/^[\u0621-\u064A]+$/.test(word) || placeLexicon().has(word)) return { text: line, snapped: false };
  const near = nearestPlace(word, list);
  if (!near) return { text: line, snapped: false };
  words[at] = placeLexicon().display(compareKey(near));
  return { text: words.join(' '), snapped: true };
}

/** The closed lists of address line 2, built once: prefixes printed before a district, governorates, districts. */
const DISTRICT_PREFIXES = ['مركز', 'قسم'];
const PREFIX_LEXICON = WordLexicon.ofPhrases(DISTRICT_PREFIXES);
const GOVERNORATE_LEXICON = WordLexicon.ofPhrases(Object.values(GOVERNORATES).map((g) => g.ar));
const DISTRICT_LEXICONS: ReadonlyMap<string, WordLexicon> = new Map(Object.keys(GOVERNORATES).map((code) => [code, WordLexicon.ofPhrases((DISTRICTS[code] ?? []).map((d) => d.ar))]));

/**
 * Address line 2 names places from closed lists: "<prefix> <district> - <governorate>", the governorate one of 27
 * and the district one of that governorate's (DISTRICTS). A governorate read with a slip or two (الشرقيم,
 * القليوبيم, هنا for قنا), a district of it read so, and the prefix مركز read as مرك are put right, each only when
 * exactly one name is that near. What was put right is a guess among places: `snapped` lines are not vouched for.
 */
export function snapAddress2(line: string): { text: string; snapped: boolean } {
  const words = line.split(' ').filter(Boolean);
  // The dash, or a lone mark read where it stands (٠, ٥, a dot) when the line has no dash.
  let dash = words.lastIndexOf('-');
  for (let i = words.length - 2; dash < 0 && i > 0; i--) if (!/[\u0621-\u064A]/.test(words[i]!)) dash = i;
  if (dash < 1 || dash === words.length - 1) return { text: line, snapped: false };
  // Letters only: a speck read after the governorate (القليوبيم/) is not part of it.
  const govText = words.slice(dash + 1).join(' ').replace(/[^\u0621-\u064A\s]/g, '').trim();
  const gov = GOVERNORATE_LEXICON.has(govText) ? govText : nearestPlace(govText, GOVERNORATE_LEXICON);
  const districts = gov ? DISTRICT_LEXICONS.get(GOVERNORATE_BY_KEY.get(compareKey(gov)) ?? '') : undefined;
  if (!gov || !districts) return { text: line, snapped: false };
  let head = words.slice(0, dash);
  const known = (parts: readonly string[]) => districts.has(parts.join(' '));
  // A speck read before a known district (١ الضبعة) is no part of it (٦ in ٦ أكتوبر is).
  const specks = head.findIndex((w) => /[\u0621-\u064A]/.test(w));
  if (specks > 0 && !known(head) && known(head.slice(specks))) head = head.slice(specks);
  // The prefix: a first word one slip from مركز or قسم, before a district of this governorate.
  const prefix = head.length > 1 && !known(head) ? nearestPlace(head[0]!, PREFIX_LEXICON) : null;
  if (prefix && (known(head.slice(1)) || nearestPlace(head.slice(1).join(' '), districts))) head = [prefix, ...head.slice(1)];
  // The district, with or without the prefix.
  const hasPrefix = head.length > 1 && DISTRICT_PREFIXES.includes(head[0]!);
  const district = hasPrefix ? head.slice(1) : head;
  const near = known(district) ? null : nearestPlace(district.join(' '), districts);
  if (near) head = [...(hasPrefix ? [head[0]!] : []), ...near.split(' ')];
  const text = [...head, '-', ...gov.split(' ')].join(' ');
  return { text, snapped: text !== line };
}

function districtAgrees(read: FieldValue & { snapped?: boolean }): FieldValue {
  const field = fieldValue(read);
  // A line put right by snapAddress2 agrees by construction: that is no confirmation.
  if (read.snapped || !field.value || field.confidence >= 0.9) return field;
  const parts = field.value.split('-');
  if (parts.length !== 2) return field;
  const code = GOVERNORATE_BY_KEY.get(compareKey(parts[1]!));
  if (!code) return field;
  const strip = (t: string) => compareKey(t).replace(/^(مركز|قسم|حي|مدينه|بندر)\s+/, '').replace(/\s+(اول|ثان|ثاني|ثالث)$/, '').trim();
  const district = strip(parts[0]!);
  const known = (DISTRICTS[code] ?? []).some((d) => strip(d.ar) === district);
  return known ? { value: field.value, confidence: Math.max(field.confidence, 0.9) } : field;
}

/**
 * Confidence of a lexicon-corrected line. Every word known as read: tesseract was merely unsure, the line is
 * trusted more. Every word known or one slip from exactly one word: trusted unless tesseract was very unsure.
 * A two-edit fix, or words outside the lexicon: as read (a rare name or place must not be forced or trusted).
 */
function lexiconConfidence(read: number, fix: LineCorrection): number {
  if (fix.corrected2) return Math.min(Math.max(read, 0.7), TEXT_MIN_CONFIDENCE - 0.01);
  if (fix.unknown) return unknownWordsConfidence(read);
  if (!fix.corrected) return Math.max(read, Math.min(0.95, read + 0.3));
  // A fix that only moved dots (ج/ح, ب/ت/ن, ...) is the commonest slip and safe; any other one-letter fix lands
  // on the wrong name about a third of the time on the synthetic eval, so the line is reported as unsure.
  if (fix.corrected > fix.correctedDots) return Math.min(Math.max(read, 0.7), TEXT_MIN_CONFIDENCE - 0.01);
  return read >= 0.3 ? Math.max(read, 0.86) : Math.min(read + 0.4, TEXT_MIN_CONFIDENCE - 0.01);
}

/**
 * Job line 2 is read from a crop taller than the line (TEXT_SLACK_Y); when it is blank and job line 1 sits low,
 * the crop's only line is line 1, read a second time. A title that repeats line 1 is that line: none is printed
 * (calibration back 122 returned its job twice, the second time trusted as the title).
 */
function jobTitleField(title: FieldValue, line1: string | null): FieldValue {
  return title.value && line1 && compareKey(title.value) === compareKey(line1) ? { value: null, confidence: 0.9 } : title;
}

/**
 * A given name no read was sure of: the known name that most of the reads at the four scales came to (two at
 * least, and more than any other), rather than the most confident single read. Still unsure. On the calibration
 * set (seed 3) tesseract's confidence in a short bold word is a poor guide: it is often highest on a wrong read.
 */
function mostVotedName(reads: readonly (FieldValue & { unknown: number })[]): FieldValue | null {
  const votes = new Map<string, { value: string; n: number; confidence: number }>();
  for (const r of reads) {
    if (!r.value || r.unknown) continue;
    const key = compareKey(r.value);
    const v = votes.get(key) ?? { value: r.value, n: 0, confidence: 0 };
    votes.set(key, { ...v, n: v.n + 1, confidence: Math.max(v.confidence, r.confidence) });
  }
  const ranked = [...votes.values()].sort((a, b) => b.n - a.n);
  const top = ranked[0];
  if (!top || top.n < 2 || ranked[1]?.n === top.n) return null;
  return { value: top.value, confidence: Math.min(top.confidence, TEXT_MIN_CONFIDENCE - 0.01) };
}

/** The husband line's label as cards print it ("الزوج / <name>"). */
const HUSBAND_LABEL = 'الزوج';

/**
 * The husband line: "الزوج / <name>". The label is often read with a slip (الزوح, الروج) and the slash as ' ؛ 7:
 * a first word within one edit of the label, and the marks after it, are dropped; without a label, what follows a
 * slash or colon is the name. The name is then checked as a name line. Null when the line is no husband line.
 */
export function husbandNameField(line: { text: string; confidence: number }): (FieldValue & { unknown: number }) | null {
  const words = line.text.split(/\s+/).filter(Boolean);
  const label = words.slice(0, 2).findIndex((w) => {
    const key = compareKey(w.replace(/[^\u0621-\u064A]/g, ''));
    return key.length >= 4 && ocrDistance(key, HUSBAND_LABEL) <= 1;
  });
  let rest: string;
  if (label >= 0) rest = words.slice(label + 1).join(' ');
  else if (/[/:]/.test(line.text)) rest = line.text.replace(/^.*?[/:]\s*/, '');
  else return null;
  const name = nameField({ text: rest, confidence: line.confidence });
  return name.value ? name : null;
}

/** Whether the marital status read is "married" (either gender's form). */
function isMarried(status: string | null): boolean {
  return !!status && /^متزوج/.test(compareKey(status));
}

/**
 * A line with a word no lexicon knows rests on tesseract's confidence alone, and needs more of it than a line of
 * known words. On the calibration set (seed 3) every such line trusted under 0.9 was wrong (names, address lines,
 * a job: 8 of 8), while the real cards' rare family names and streets, read right, came at 0.9 and over.
 */
const UNKNOWN_WORDS_MIN_CONFIDENCE = 0.9;

function unknownWordsConfidence(read: number): number {
  return read >= UNKNOWN_WORDS_MIN_CONFIDENCE ? read : Math.min(read, TEXT_MIN_CONFIDENCE - 0.01);
}

/**
 * A line that may be blank on the card (job title, husband): tesseract turns an empty crop into a few
 * low-confidence symbols, so weak or letter-poor output means "nothing printed".
 */
function optionalTextField(line: { text: string; confidence: number }): FieldValue {
  if (!line.text) return { value: null, confidence: 0.95 };
  const letters = (line.text.match(/[\u0621-\u064A]/g) ?? []).length;
  // Weak, letter-poor output is most likely background texture read as symbols: "nothing", but unsure.
  if (line.confidence < 0.45 || letters < 2 || letters < line.text.replace(/\s/g, '').length * 0.7) return { value: null, confidence: 0.6 };
  return { value: line.text, confidence: line.confidence };
}

/** The governorate named at the end of "district - governorate", as the cards print it. */
export function governorateOf(address2: string): string | null {
  const tail = address2.split('-').pop()?.trim() ?? '';
  if (!tail) return null;
  const names = Object.values(GOVERNORATES).map((g) => g.ar);
  const hit = snapToVocabulary(tail, names, 0.25) ?? snapToVocabulary(address2.split(' ').pop() ?? '', names, 0.25);
  return hit ? hit.value : names.find((n) => normalizeArabic(address2).endsWith(normalizeArabic(n))) ?? null;
}

/** Each side's best-ranked orientation first, then the others (the order they came in otherwise). */
function likeliest<T extends { side: Side }>(ranked: T[]): T[] {
  const firstOfSide = ranked.filter((o, i) => ranked.findIndex((x) => x.side === o.side) === i);
  return [...firstOfSide, ...ranked.filter((o) => !firstOfSide.includes(o))];
}
