/**
 * Canonical layout of the rectified Egyptian national ID card (current "smart" card, both sides).
 *
 * The rectified card is CANONICAL_W × CANONICAL_H pixels (ID-1 aspect 85.6 : 54).
 * Every box is in normalised coordinates {x, y, w, h} in 0..1 with the origin at the top-left
 * corner of the card; multiply by CANONICAL_W / CANONICAL_H (see `toPixels`).
 *
 * How the numbers were obtained: measured by eye on hand-rectified real cards (G07, G15, G28 fronts;
 * G15, G23, G28 backs in shared/data/egypt-id) — centre lines of the printed text, right text edge and
 * the extent of graphic elements. Measured text centre lines (fraction of card height):
 *
 *   front: given name .32 · remaining names .41 · address 1 .525 · address 2 .62 · NID .83 ·
 *          date of birth (inside the hologram panel, lower left) .785 · serial (idKey) .945.
 *          All Arabic lines are right-aligned with the right edge of the ink at x ≈ .945.
 *   back:  issue date + NID top line .085 · job 1 .167 · job 2 .25 · gender/religion/marital .337 ·
 *          expiry "البطاقة سارية حتى" .50 · barcode .60–.95. Right edge of text at x ≈ .785.
 *
 * (The YOLO medians in the data README are in the 640×640 padded Canva frame, not the card frame.)
 *
 * `*_BOXES` are the regions a reader should crop: each is the measured text extent grown by at least
 * 0.02 on every side so that ±2 % misalignment of the rectification still keeps the text inside.
 * Adjacent line boxes are cut at the midpoint between lines so they do not overlap much.
 *
 * `*_LINES` are the generator's render anchors: the synthetic renderer (src/document/synth) places
 * each text line with its centre on `cy`, its ink right edge at `right` (RTL lines) or left edge at
 * `left` (LTR lines), with a nominal ink height of `size` (fraction of CANONICAL_H). The anchors lie
 * inside the corresponding boxes, so synthetic and real cards share one layout.
 */

export const CANONICAL_W = 1000;
export const CANONICAL_H = 631;
/** ID-1: 85.6 mm × 54 mm. */
export const CARD_ASPECT = 85.6 / 54;

export interface Box {
  /** left edge, 0..1 of card width */
  x: number;
  /** top edge, 0..1 of card height */
  y: number;
  /** width, 0..1 of card width */
  w: number;
  /** height, 0..1 of card height */
  h: number;
}

export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type FrontField =
  | 'header'
  | 'portrait'
  | 'firstName'
  | 'lastNames'
  | 'address1'
  | 'address2'
  | 'idNumber'
  | 'dateOfBirth'
  | 'idKey'
  | 'hologram';

export type BackField =
  | 'releaseDate'
  | 'idNumber'
  | 'topLine'
  | 'job1'
  | 'job2'
  | 'genderReligionMarital'
  | 'gender'
  | 'religion'
  | 'maritalStatus'
  | 'husbandName'
  | 'expiry'
  | 'version'
  | 'barcode'
  | 'eagle'
  | 'pharaoh';

const b = (x0: number, y0: number, x1: number, y1: number): Box => ({
  x: x0,
  y: y0,
  w: +(x1 - x0).toFixed(4),
  h: +(y1 - y0).toFixed(4),
});

/** Field boxes on the front (crop regions, generous: text ± ≥ 2 %). */
export const FRONT_BOXES: Readonly<Record<FrontField, Box>> = Object.freeze({
  /** "جمهورية مصر العربية" calligraphy + "بطاقة تحقيق الشخصية" (green), top centre-right. */
  header: b(0.42, 0.02, 0.9, 0.24),
  /** Greyscale portrait, top-left; fades into the background at its lower edge. */
  portrait: b(0.04, 0.06, 0.3, 0.63),
  /** Line 1 of the name block: the given (first) name, right-aligned. */
  firstName: b(0.42, 0.265, 0.975, 0.367),
  /** Line 2: father + grandfather + family names. */
  lastNames: b(0.3, 0.363, 0.975, 0.468),
  /** Address line 1 (street / village / area). */
  address1: b(0.3, 0.472, 0.975, 0.575),
  /** Address line 2 ("district - governorate"). */
  address2: b(0.3, 0.57, 0.975, 0.675),
  /** The 14-digit NID in Eastern Arabic digits, grouped "C YY MM DD GG SSS SK", left-to-right. */
  idNumber: b(0.38, 0.77, 0.985, 0.89),
  /** Date of birth "YYYY/MM" or "YYYY/MM/DD" in Eastern digits, inside the hologram panel, lower-left. */
  dateOfBirth: b(0.04, 0.72, 0.41, 0.855),
  /** Serial: 2 Latin letters + 7 ASCII digits, monospace, bottom-left. */
  idKey: b(0.04, 0.885, 0.42, 0.995),
  /** The grey hologram / guilloche panel holding the date of birth and a small eagle. */
  hologram: b(0.04, 0.69, 0.4, 0.87),
});

/** Field boxes on the back. */
export const BACK_BOXES: Readonly<Record<BackField, Box>> = Object.freeze({
  /** Issue date "YYYY/MM" (Eastern digits), left part of the top line. */
  releaseDate: b(0.2, 0.03, 0.44, 0.135),
  /** The NID (ungrouped, 14 Eastern digits), right part of the top line. */
  idNumber: b(0.43, 0.03, 0.83, 0.135),
  /** The whole top line (release date + NID). */
  topLine: b(0.2, 0.03, 0.83, 0.135),
  /** Job line 1 (المهنة), right-aligned at x ≈ .785. */
  job1: b(0.24, 0.125, 0.83, 0.21),
  /** Job line 2 (employer / job title), may be empty. */
  job2: b(0.24, 0.205, 0.83, 0.293),
  /** gender · religion · marital status, three words spread over the line. */
  genderReligionMarital: b(0.24, 0.288, 0.83, 0.388),
  /** Sub-boxes of the line above (right → left: gender, religion, marital status). */
  gender: b(0.66, 0.288, 0.83, 0.388),
  religion: b(0.5, 0.288, 0.7, 0.388),
  maritalStatus: b(0.24, 0.288, 0.52, 0.388),
  /** Husband's name for married women (generator convention: "الزوج / <name>"); usually empty. */
  husbandName: b(0.24, 0.383, 0.83, 0.462),
  /** "البطاقة سارية حتى YYYY/MM/DD". */
  expiry: b(0.24, 0.455, 0.83, 0.55),
  /** Card version digit at the right end of the expiry line. */
  version: b(0.88, 0.455, 0.97, 0.55),
  /** The 2D barcode (PDF417-like block with start/stop bars). */
  barcode: b(0.03, 0.57, 0.97, 0.975),
  /** Coat of arms (eagle), top-right. */
  eagle: b(0.8, 0.03, 0.985, 0.41),
  /** Tutankhamun mask stamp, top-left. */
  pharaoh: b(0.02, 0.05, 0.245, 0.44),
});

export type Align = 'right' | 'left' | 'center';

/** Render anchor for one text line (see file comment). All fractions of the card. */
export interface LineAnchor {
  /** Vertical centre of the ink (fraction of height). */
  cy: number;
  /** Anchor x: the ink's right edge for 'right', left edge for 'left', centre for 'center'. */
  x: number;
  align: Align;
  /** Nominal ink height (fraction of height) of a full Arabic line incl. ascenders/descenders. */
  size: number;
  /** Maximum ink width (fraction of width); the renderer condenses longer text to fit. */
  maxW: number;
}

export const FRONT_LINES: Readonly<Record<'firstName' | 'lastNames' | 'address1' | 'address2' | 'idNumber' | 'dateOfBirth' | 'idKey', LineAnchor>> =
  Object.freeze({
    firstName: { cy: 0.316, x: 0.945, align: 'right', size: 0.062, maxW: 0.5 },
    lastNames: { cy: 0.415, x: 0.945, align: 'right', size: 0.062, maxW: 0.62 },
    address1: { cy: 0.523, x: 0.945, align: 'right', size: 0.058, maxW: 0.62 },
    address2: { cy: 0.622, x: 0.945, align: 'right', size: 0.058, maxW: 0.62 },
    idNumber: { cy: 0.83, x: 0.955, align: 'right', size: 0.052, maxW: 0.56 },
    dateOfBirth: { cy: 0.787, x: 0.225, align: 'center', size: 0.04, maxW: 0.3 },
    idKey: { cy: 0.94, x: 0.09, align: 'left', size: 0.046, maxW: 0.3 },
  });

export const BACK_LINES: Readonly<
  Record<'releaseDate' | 'idNumber' | 'job1' | 'job2' | 'gender' | 'religion' | 'maritalStatus' | 'husbandName' | 'expiry' | 'version', LineAnchor>
> = Object.freeze({
  releaseDate: { cy: 0.084, x: 0.27, align: 'left', size: 0.042, maxW: 0.15 },
  idNumber: { cy: 0.084, x: 0.79, align: 'right', size: 0.042, maxW: 0.33 },
  job1: { cy: 0.167, x: 0.785, align: 'right', size: 0.052, maxW: 0.52 },
  job2: { cy: 0.249, x: 0.785, align: 'right', size: 0.052, maxW: 0.52 },
  gender: { cy: 0.337, x: 0.785, align: 'right', size: 0.052, maxW: 0.11 },
  religion: { cy: 0.337, x: 0.63, align: 'center', size: 0.052, maxW: 0.13 },
  maritalStatus: { cy: 0.337, x: 0.375, align: 'center', size: 0.052, maxW: 0.2 },
  husbandName: { cy: 0.421, x: 0.785, align: 'right', size: 0.05, maxW: 0.52 },
  expiry: { cy: 0.5, x: 0.785, align: 'right', size: 0.052, maxW: 0.52 },
  version: { cy: 0.5, x: 0.925, align: 'center', size: 0.04, maxW: 0.05 },
});

/** Convert a normalised box to integer pixels of an image `width × height` (default: canonical), clamped. */
export function toPixels(box: Box, width = CANONICAL_W, height = CANONICAL_H): PixelBox {
  const left = Math.max(0, Math.round(box.x * width));
  const top = Math.max(0, Math.round(box.y * height));
  const right = Math.min(width, Math.round((box.x + box.w) * width));
  const bottom = Math.min(height, Math.round((box.y + box.h) * height));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** Grow (or shrink, negative) a box by `dx`, `dy` (fractions of the card) on every side, clamped to 0..1. */
export function padBox(box: Box, dx: number, dy = dx): Box {
  const x0 = Math.max(0, box.x - dx);
  const y0 = Math.max(0, box.y - dy);
  const x1 = Math.min(1, box.x + box.w + dx);
  const y1 = Math.min(1, box.y + box.h + dy);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Whether box `inner` lies entirely within `outer`. */
export function boxContains(outer: Box, inner: Box, eps = 1e-9): boolean {
  return (
    inner.x >= outer.x - eps &&
    inner.y >= outer.y - eps &&
    inner.x + inner.w <= outer.x + outer.w + eps &&
    inner.y + inner.h <= outer.y + outer.h + eps
  );
}
