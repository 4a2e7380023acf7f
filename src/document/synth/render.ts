/**
 * Renders a CardSpec into canonical front/back card images (CANONICAL_W × CANONICAL_H PNG) plus labels.
 *
 * Text is shaped by pango (through sharp) and placed on the anchors of src/document/layout.ts
 * (FRONT_LINES / BACK_LINES), so synthetic and real cards share one layout.
 *
 * Label conventions (keys of the Vlens spec §7):
 *  - text values are Arabic exactly as printed (card spelling: ى for final ي, often no hamza on alef);
 *  - `idNumber` is 14 ASCII digits; `idKey` as printed (2 Latin capitals + 7 digits);
 *  - dates are ISO: `dateOfBirth` and `idExpiry` "yyyy-mm-dd"; `releaseDate` is "yyyy-mm" because the
 *    card prints only the issue year and month (YYYY/MM);
 *  - `gender` is the printed Arabic word on both sides (ذكر / أنثى; on the front it is derived from the
 *    NID, which is where a reader gets it); `husbandName` is null when not printed; `jobTitle` '' when
 *    the second job line is empty;
 *  - `address` = address_1 + ' ' + address_2; `name` = first_name + ' ' + last_names; `govern` is the
 *    governorate as printed at the end of address line 2;
 *  - the `*_english` fields come from src/document/transliterate.ts.
 * `printed` holds the exact printed strings per line (Eastern digits etc.), `boxes` the normalised ink
 * boxes of every rendered field on the canonical card.
 */
import { CANONICAL_H as H, CANONICAL_W as W, FRONT_LINES, BACK_LINES, FRONT_BOXES, BACK_BOXES, type Box, type LineAnchor } from '../layout.js';
import { toEasternDigits } from '../arabic.js';
import { GOVERNORATES, groupNationalId } from '../nid.js';
import { governorateEnglish, transliterateAddress, transliterateName } from '../transliterate.js';
import { Canvas, hex, imageToRgba, type Rgba } from './canvas.js';
import { applyTone, defaultPortraitVariant, eagleLayer, paintBarcode, sideBase } from './art.js';
import { fontById, SERIAL_FONTS, TEXT_FONTS, HEADER_FONTS, availableFonts, type FontSpec } from './fonts.js';
import { Rng, seedFrom } from './rng.js';
import type { CardSpec } from './spec.js';
import { renderText, scaleText, type RenderedText } from './text.js';

export interface FrontLabels {
  first_name: string;
  last_names: string;
  name: string;
  address_1: string;
  address_2: string;
  address: string;
  govern: string;
  idNumber: string;
  idKey: string;
  dateOfBirth: string;
  gender: string;
  first_name_english: string;
  last_names_english: string;
  name_english: string;
  address_english: string;
  govern_english: string;
}

export interface BackLabels {
  idNumber: string;
  releaseDate: string;
  job: string;
  jobTitle: string;
  gender: string;
  religion: string;
  maritalStatus: string;
  husbandName: string | null;
  idExpiry: string;
}

export interface CardLabels {
  front: FrontLabels;
  back: BackLabels;
  /** Exact printed strings per line. */
  printed: { front: Record<string, string>; back: Record<string, string> };
  /** Normalised ink boxes of each rendered field on the canonical card. */
  boxes: { front: Record<string, Box>; back: Record<string, Box> };
  /** Derived facts, handy for evaluation. */
  meta: { seed: number; gender: 'male' | 'female'; birthGovernorate: string; residenceGovernorate: string; expired: boolean; fonts: { text: string; digits: string; header: string } };
}

export interface RenderOptions {
  /** Which sides to render (default both). A side not rendered comes back as an empty Buffer. */
  sides?: Array<'front' | 'back'>;
  /** Print softness (Gaussian sigma in px) applied to the finished card, default from the seed (0.45–0.8). */
  printBlur?: number;
  /** "Today" for the expired flag in meta (default 2025-11-26). */
  today?: string;
}

export interface RenderedCard {
  front: Buffer;
  back: Buffer;
  labels: CardLabels;
}

function font(id: string, fallbackList: readonly FontSpec[]): FontSpec {
  const f = fontById(id);
  if (f && availableFonts([f]).length) return f;
  const av = availableFonts(fallbackList);
  if (!av.length) throw new Error('no fonts installed for the synthetic card generator (see .ci/apt-packages-document.txt)');
  return av[0];
}

const norm = (left: number, top: number, right: number, bottom: number): Box => ({
  x: +(left / W).toFixed(4),
  y: +(top / H).toFixed(4),
  w: +((right - left) / W).toFixed(4),
  h: +((bottom - top) / H).toFixed(4),
});

/**
 * Place a text line on the canvas at a layout anchor. Vertical: the centre of the ink of a reference
 * glyph run is put on `cy` — we use the middle of the logical line box, which is stable per font.
 * Returns the normalised ink box.
 */
async function placeLine(
  c: Canvas,
  text: string,
  anchor: LineAnchor,
  f: FontSpec,
  rng: Rng,
  opts: {
    rtl: boolean;
    color: [number, number, number];
    scale: number;
    jitter: number;
    letterSpacing?: number;
    /** Scale the ink to this width (fraction of W). */
    targetWidth?: number;
    /** With targetWidth: also scale the ink to this height (fraction of H), aspect change limited to ±30 %. */
    targetHeight?: number;
    opacity?: number;
    /** Face for digits inside this line (when `f` has non-standard digit shapes). */
    digitFont?: FontSpec;
  },
): Promise<Box | null> {
  if (!text) return null;
  // draw every random number before the first await, so concurrent calls stay deterministic
  const jx = rng.uniform(-1, 1) * opts.jitter * W;
  const jy = rng.uniform(-1, 1) * opts.jitter * H;
  // em size: the nominal line ink height ≈ 1.0 em for Arabic naskh with ascenders+descenders
  const em = anchor.size * H * opts.scale;
  let t: RenderedText = await renderText(text, f, em, {
    rtl: opts.rtl,
    letterSpacing: opts.letterSpacing ? opts.letterSpacing * em : undefined,
    digitFont: opts.digitFont,
  });
  let inkW = t.ink.right - t.ink.left;
  if (inkW <= 0) return null;
  const maxW = anchor.maxW * W;
  if (opts.targetWidth) {
    const k = (opts.targetWidth * W) / inkW;
    let ky = Math.min(1.1, Math.max(0.9, k));
    if (opts.targetHeight) {
      const inkH = Math.max(1, t.ink.bottom - t.ink.top);
      ky = Math.min(k * 1.3, Math.max(k / 1.3, (opts.targetHeight * H) / inkH));
    }
    t = await scaleText(t, k, ky);
  } else if (inkW > maxW) {
    const k = maxW / inkW;
    // condense horizontally, and shrink vertically a bit less
    t = await scaleText(t, k, Math.max(k, 0.8));
  }
  inkW = t.ink.right - t.ink.left;
  const ax = anchor.x * W + jx;
  const inkCy = (t.ink.top + t.ink.bottom) / 2;
  // mix of logical-box centre and ink centre keeps a common baseline while staying inside the box
  const boxCy = t.height / 2;
  const refCy = 0.5 * inkCy + 0.5 * boxCy;
  const top = anchor.cy * H + jy - refCy;
  let left: number;
  if (anchor.align === 'right') left = ax - t.ink.right;
  else if (anchor.align === 'left') left = ax - t.ink.left;
  else left = ax - (t.ink.left + t.ink.right) / 2;
  c.blit(t, left, top, { tint: opts.color, mode: 'multiply', opacity: opts.opacity ?? 0.97 });
  const L = Math.round(left);
  const T = Math.round(top);
  return norm(L + t.ink.left, T + t.ink.top, L + t.ink.right, T + t.ink.bottom);
}

/** Fill the area outside the rounded corners (radius ≈ 3.2 mm) with neutral grey. */
function roundCorners(c: Canvas, r = 36, grey = 128): void {
  const d = c.data;
  for (let y = 0; y < r; y++)
    for (let x = 0; x < r; x++) {
      const dx = r - x - 0.5;
      const dy = r - y - 0.5;
      const dist = Math.sqrt(dx * dx + dy * dy);
      if (dist <= r - 0.5) continue;
      const a = Math.min(1, dist - (r - 0.5));
      for (const [px, py] of [
        [x, y],
        [W - 1 - x, y],
        [x, H - 1 - y],
        [W - 1 - x, H - 1 - y],
      ]) {
        const i = (py * W + px) * 3;
        for (let k = 0; k < 3; k++) d[i + k] = d[i + k] + (grey - d[i + k]) * a;
      }
    }
}

async function portraitRgba(spec: CardSpec, rng: Rng, w: number, h: number): Promise<Rgba> {
  const variant = rng.int(0, 1e6);
  if (!spec.portrait) return defaultPortraitVariant(spec.gender, variant, w, h);
  const img = await imageToRgba(spec.portrait, { width: w, height: h, fit: 'cover' });
  // greyscale + soft fade at the edges (printed portraits blend into the background)
  const d = img.data;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const g = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
      const v = 40 + g * 0.78;
      d[i] = d[i + 1] = d[i + 2] = v;
      const e = Math.min(x / (w * 0.08), (w - 1 - x) / (w * 0.08), y / (h * 0.05), (h - 1 - y) / (h * 0.3), 1);
      d[i + 3] = Math.round(d[i + 3] * Math.max(0, e));
    }
  return img;
}

function isoToSlash(iso: string): string {
  return toEasternDigits(iso.replace(/-/g, '/'));
}

/** Render the front. */
async function renderFront(spec: CardSpec, rng: Rng, printed: Record<string, string>, boxes: Record<string, Box>): Promise<Canvas> {
  const st = spec.style;
  const c = new Canvas(W, H, [0, 0, 0]);
  c.data.set(await sideBase('front', st.pattern));
  applyTone(c, st.tone, rng.uniform(-1, 1));

  // header (green): calligraphic "جمهورية مصر العربية" and naskh "بطاقة تحقيق الشخصية"
  const green: [number, number, number] = [96 + rng.int(-10, 10), 132 + rng.int(-10, 10), 84 + rng.int(-10, 10)];
  const hf = font(st.headerFont, HEADER_FONTS);
  const tf = font(st.textFont, TEXT_FONTS);
  const df = font(st.digitFont, TEXT_FONTS);
  const sf = font(SERIAL_FONTS[0].id, SERIAL_FONTS);
  const headerBox = placeLine(c, 'جمهورية مصر العربية', { cy: 0.105, x: 0.645, align: 'center', size: 0.085, maxW: 0.4 }, hf, rng, {
    rtl: true, color: green, scale: 1, jitter: 0.002, targetWidth: rng.uniform(0.34, 0.38), opacity: 0.9,
  });
  const subHeader = placeLine(c, 'بطاقة تحقيق الشخصية', { cy: 0.198, x: 0.645, align: 'center', size: 0.05, maxW: 0.3 }, tf, rng, {
    rtl: true, color: green, scale: 1, jitter: 0.002, targetWidth: rng.uniform(0.25, 0.28), opacity: 0.9,
  });
  boxes.header = (await headerBox)!;
  await subHeader;

  // portrait
  const pb = FRONT_BOXES.portrait;
  const pw = Math.round((pb.w - 0.035) * W);
  const ph = Math.round((pb.h - 0.04) * H);
  const portrait = await portraitRgba(spec, rng, pw, ph);
  c.blit(portrait, (pb.x + 0.02) * W + rng.uniform(-3, 3), (pb.y + 0.03) * H + rng.uniform(-3, 3), { opacity: 0.95 });
  boxes.portrait = norm((pb.x + 0.02) * W, (pb.y + 0.03) * H, (pb.x + 0.02) * W + pw, (pb.y + 0.03) * H + ph);

  const ink = hex(st.ink);
  const common = { rtl: true, color: ink, scale: st.textScale, jitter: st.jitter, digitFont: tf.digits ? undefined : df };
  printed.firstName = spec.firstName;
  printed.lastNames = spec.lastNames;
  printed.address1 = spec.address1;
  printed.address2 = spec.address2;
  const lines = Promise.all([
    placeLine(c, spec.firstName, FRONT_LINES.firstName, tf, rng, common),
    placeLine(c, spec.lastNames, FRONT_LINES.lastNames, tf, rng, common),
    placeLine(c, spec.address1, FRONT_LINES.address1, tf, rng, common),
    placeLine(c, spec.address2, FRONT_LINES.address2, tf, rng, common),
  ]);

  // NID: Eastern digits grouped "C YY MM DD GG SSS SK", spread left-to-right over ~half the card
  const nidPrinted = toEasternDigits(groupNationalId(spec.nid));
  printed.idNumber = nidPrinted;
  // LRO … PDF: keep the groups in left-to-right order (Arabic-Indic digits + spaces would otherwise
  // be reordered right-to-left by the bidi algorithm)
  const nidBox = placeLine(c, '\u202D' + nidPrinted + '\u202C', FRONT_LINES.idNumber, df, rng, {
    ...common, rtl: false, letterSpacing: rng.uniform(0.18, 0.26), targetWidth: rng.uniform(0.47, 0.52), targetHeight: rng.uniform(0.047, 0.054),
  });

  // date of birth inside the hologram panel, with a small eagle overlapping its middle
  const dob = isoToSlash(spec.birthDate);
  printed.dateOfBirth = dob;
  const dobColor: [number, number, number] = [70, 66, 62];
  const dobBox = placeLine(c, dob, FRONT_LINES.dateOfBirth, df, rng, {
    ...common, rtl: false, color: dobColor, letterSpacing: 0.15, targetWidth: rng.uniform(0.24, 0.27), targetHeight: rng.uniform(0.034, 0.04), opacity: 0.85,
  });
  const eagleX = 0.245 * W + rng.uniform(-6, 6);
  const eagle = eagleLayer(Math.round(0.055 * W), Math.round(0.12 * H), '#3c3a38', false, 1);

  // serial (idKey): monospace Latin, bottom-left, dark blue-black
  printed.idKey = spec.idKey;
  const keyBox = placeLine(c, spec.idKey, FRONT_LINES.idKey, sf, rng, {
    rtl: false, color: [28, 30, 44], scale: 1, jitter: st.jitter, letterSpacing: 0.06, targetWidth: rng.uniform(0.22, 0.245),
  });
  [boxes.firstName, boxes.lastNames, boxes.address1, boxes.address2] = (await lines) as Box[];
  boxes.idNumber = (await nidBox)!;
  boxes.dateOfBirth = (await dobBox)!;
  boxes.idKey = (await keyBox)!;
  c.blit(await eagle, eagleX, 0.725 * H, { opacity: st.dobEagle, mode: 'multiply' });
  roundCorners(c);
  return c;
}

/** Render the back. */
async function renderBack(spec: CardSpec, rng: Rng, printed: Record<string, string>, boxes: Record<string, Box>): Promise<Canvas> {
  const st = spec.style;
  const c = new Canvas(W, H, [0, 0, 0]);
  c.data.set(await sideBase('back', st.pattern));
  applyTone(c, st.tone, rng.uniform(-1, 1));
  const bb = BACK_BOXES.barcode;
  paintBarcode(c, { x0: (bb.x + 0.025) * W, y0: (bb.y + 0.03) * H, x1: (bb.x + bb.w - 0.025) * W, y1: (bb.y + bb.h - 0.035) * H }, rng);

  const tf = font(st.textFont, TEXT_FONTS);
  const df = font(st.digitFont, TEXT_FONTS);
  const ink = hex(st.ink);
  const common = { rtl: true, color: ink, scale: st.textScale, jitter: st.jitter, digitFont: tf.digits ? undefined : df };
  const rel = toEasternDigits(spec.releaseDate.replace('-', '/'));
  const nid = toEasternDigits(spec.nid);
  const exp = `البطاقة سارية حتى ${isoToSlash(spec.expiryDate)}`;
  printed.releaseDate = rel;
  printed.idNumber = nid;
  printed.job1 = spec.job;
  printed.job2 = spec.jobTitle;
  printed.gender = spec.genderText;
  printed.religion = spec.religion;
  printed.maritalStatus = spec.maritalStatus;
  if (spec.husbandName) printed.husbandName = `الزوج / ${spec.husbandName}`;
  printed.expiry = exp;
  printed.version = toEasternDigits(spec.version);
  // all lines render concurrently (random draws happen synchronously, in this order)
  const jobs: Array<[string, Promise<Box | null>]> = [
    ['releaseDate', placeLine(c, rel, BACK_LINES.releaseDate, df, rng, { ...common, rtl: false, letterSpacing: 0.12, targetWidth: rng.uniform(0.12, 0.135), targetHeight: rng.uniform(0.034, 0.04) })],
    ['idNumber', placeLine(c, nid, BACK_LINES.idNumber, df, rng, { ...common, rtl: false, letterSpacing: 0.1, targetWidth: rng.uniform(0.3, 0.33), targetHeight: rng.uniform(0.034, 0.04) })],
    ['job1', placeLine(c, spec.job, BACK_LINES.job1, tf, rng, common)],
    ['job2', placeLine(c, spec.jobTitle, BACK_LINES.job2, tf, rng, common)],
    ['gender', placeLine(c, spec.genderText, BACK_LINES.gender, tf, rng, common)],
    ['religion', placeLine(c, spec.religion, BACK_LINES.religion, tf, rng, common)],
    ['maritalStatus', placeLine(c, spec.maritalStatus, BACK_LINES.maritalStatus, tf, rng, common)],
    ['husbandName', placeLine(c, printed.husbandName ?? '', BACK_LINES.husbandName, tf, rng, common)],
    ['expiry', placeLine(c, exp, BACK_LINES.expiry, tf, rng, common)],
    ['version', placeLine(c, printed.version, BACK_LINES.version, df, rng, common)],
  ];
  for (const [k, p] of jobs) {
    const bx = await p;
    if (bx) boxes[k] = bx;
  }
  boxes.barcode = bb;
  roundCorners(c);
  return c;
}

export function labelsFor(spec: CardSpec, today = '2025-11-26'): Pick<CardLabels, 'front' | 'back' | 'meta'> {
  const govAr = spec.address2.split(' - ').pop()!.trim();
  const address = `${spec.address1} ${spec.address2}`;
  const name = `${spec.firstName} ${spec.lastNames}`;
  return {
    front: {
      first_name: spec.firstName,
      last_names: spec.lastNames,
      name,
      address_1: spec.address1,
      address_2: spec.address2,
      address,
      govern: govAr,
      idNumber: spec.nid,
      idKey: spec.idKey,
      dateOfBirth: spec.birthDate,
      gender: spec.genderText,
      first_name_english: transliterateName(spec.firstName),
      last_names_english: transliterateName(spec.lastNames),
      name_english: transliterateName(name),
      address_english: transliterateAddress(address),
      govern_english: governorateEnglish(govAr) ?? GOVERNORATES[spec.residenceGovernorate]?.en ?? '',
    },
    back: {
      idNumber: spec.nid,
      releaseDate: spec.releaseDate,
      job: spec.job,
      jobTitle: spec.jobTitle,
      gender: spec.genderText,
      religion: spec.religion,
      maritalStatus: spec.maritalStatus,
      husbandName: spec.husbandName,
      idExpiry: spec.expiryDate,
    },
    meta: {
      seed: spec.seed,
      gender: spec.gender,
      birthGovernorate: spec.nid.slice(7, 9),
      residenceGovernorate: spec.residenceGovernorate,
      expired: spec.expiryDate < today,
      fonts: { text: spec.style.textFont, digits: spec.style.digitFont, header: spec.style.headerFont },
    },
  };
}

/** Render both sides of a card. Deterministic for a given spec. */
export async function renderCard(spec: CardSpec, opts: RenderOptions = {}): Promise<RenderedCard> {
  const sides = opts.sides ?? ['front', 'back'];
  const printed = { front: {} as Record<string, string>, back: {} as Record<string, string> };
  const boxes = { front: {} as Record<string, Box>, back: {} as Record<string, Box> };
  const blurFor = (side: string) => opts.printBlur ?? 0.45 + new Rng(seedFrom(spec.seed, side, 'blur')).next() * 0.35;
  let front: Buffer = Buffer.alloc(0);
  let back: Buffer = Buffer.alloc(0);
  if (sides.includes('front')) {
    const c = await renderFront(spec, new Rng(seedFrom(spec.seed, 'front')), printed.front, boxes.front);
    front = await c.toSharp().blur(blurFor('front')).png({ compressionLevel: 3 }).toBuffer();
  }
  if (sides.includes('back')) {
    const c = await renderBack(spec, new Rng(seedFrom(spec.seed, 'back')), printed.back, boxes.back);
    back = await c.toSharp().blur(blurFor('back')).png({ compressionLevel: 3 }).toBuffer();
  }
  const base = labelsFor(spec, opts.today);
  return { front, back, labels: { ...base, printed, boxes } };
}
