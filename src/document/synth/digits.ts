/**
 * Eastern Arabic digit glyphs (٠–٩) rendered from the same fonts the card generator uses, for
 * template/k-NN digit readers. Each glyph is a tight greyscale ink bitmap (255 = full ink).
 *
 *   const glyphs = await renderDigitGlyphs('/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf', 48);
 *   for (const font of digitFontFiles()) …   // every digit face the generator may print
 *
 * `style: 'card'` additionally applies the generator's print softening (Gaussian blur ≈ 0.6 px at the
 * card's digit size), so templates look like rectified synthetic cards; 'plain' is the crisp glyph.
 */
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { TEXT_FONTS, availableFonts, type FontSpec } from './fonts.js';

export interface DigitGlyph {
  /** The Eastern Arabic digit, e.g. '٣'. */
  digit: string;
  /** Its ASCII value, e.g. '3'. */
  ascii: string;
  width: number;
  height: number;
  /** Greyscale ink coverage, row-major, 0 = paper, 255 = ink; tightly cropped (+ padding). */
  data: Uint8Array;
  /** Offset of the crop's top within a line holding all ten digits (compare digits' vertical positions). */
  top: number;
}

export interface DigitGlyphOptions {
  /** Pixels of empty border around each glyph (default 1). */
  padding?: number;
  /** 'plain' (default) or 'card' (generator-like print blur). */
  style?: 'plain' | 'card';
  /** Pango family/style if the font file is not one of the generator's fonts (default: from fc-query). */
  family?: string;
}

const EASTERN = '٠١٢٣٤٥٦٧٨٩';

const familyCache = new Map<string, string>();
function familyOf(fontFile: string): string {
  const known = TEXT_FONTS.find((f) => f.file === fontFile);
  if (known) return known.pango;
  const hit = familyCache.get(fontFile);
  if (hit) return hit;
  let fam = 'Sans';
  try {
    const out = execFileSync('fc-query', ['-f', '%{family[0]}|%{style[0]}\n', fontFile], { encoding: 'utf8' }).split('\n')[0];
    const [f, st] = out.split('|');
    if (f) fam = st && !/regular|book|medium/i.test(st) ? `${f} ${st}` : f;
  } catch {
    /* fc-query missing: pango falls back to a default face */
  }
  familyCache.set(fontFile, fam);
  return fam;
}

/**
 * Render the ten Eastern Arabic digits of a font at `size` px (font size in pixels, i.e. pango points
 * at 72 dpi). All ten share one rendering pass geometry, so `top` offsets are comparable.
 */
export async function renderDigitGlyphs(fontFile: string, size: number, opts: DigitGlyphOptions = {}): Promise<DigitGlyph[]> {
  const family = opts.family ?? familyOf(fontFile);
  const pad = opts.padding ?? 1;
  // one line with all ten digits far apart: shared baseline, so `top` offsets are comparable
  const spacing = Math.round(size * 0.8 * 1024);
  let img = sharp({
    text: { text: `<span foreground="#ffffff" letter_spacing="${spacing}">\u202A${EASTERN}\u202C</span>`, font: `${family} ${size}`, fontfile: fontFile, rgba: true, dpi: 72 },
  }).extractChannel(3);
  if (opts.style === 'card') img = img.blur(Math.max(0.3, size / 80));
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  // column occupancy → segments separated by wide gaps
  const occ = new Uint8Array(W);
  for (let x = 0; x < W; x++) for (let y = 0; y < H; y++) if (data[y * W + x] > 24) {
    occ[x] = 1;
    break;
  }
  const segs: Array<[number, number]> = [];
  const minGap = Math.max(2, Math.round(size * 0.3));
  let x = 0;
  while (x < W) {
    if (!occ[x]) {
      x++;
      continue;
    }
    let e = x;
    let gap = 0;
    for (let k = x; k < W; k++) {
      if (occ[k]) {
        e = k;
        gap = 0;
      } else if (++gap >= minGap) break;
    }
    segs.push([x, e]);
    x = e + 1;
  }
  if (segs.length !== 10) throw new Error(`renderDigitGlyphs: expected 10 glyphs, found ${segs.length} (${fontFile})`);
  const glyphs: DigitGlyph[] = [];
  for (let d = 0; d < 10; d++) {
    const [l, r] = segs[d];
    let t = H;
    let b = -1;
    for (let y = 0; y < H; y++)
      for (let xx = l; xx <= r; xx++)
        if (data[y * W + xx] > 24) {
          if (y < t) t = y;
          if (y > b) b = y;
        }
    const x0 = Math.max(0, l - pad);
    const y0 = Math.max(0, t - pad);
    const x1 = Math.min(W - 1, r + pad);
    const y1 = Math.min(H - 1, b + pad);
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) out[y * w + xx] = data[(y + y0) * W + xx + x0];
    glyphs.push({ digit: EASTERN[d], ascii: String(d), width: w, height: h, data: out, top: y0 });
  }
  return glyphs;
}

/** The installed fonts the generator prints digits with (ID number, dates). */
export function digitFontFiles(): Array<Pick<FontSpec, 'id' | 'file' | 'pango'>> {
  return availableFonts(TEXT_FONTS)
    .filter((f) => f.digits)
    .map(({ id, file, pango }) => ({ id, file, pango }));
}

/** Encode a glyph as a PNG (dark ink on white), e.g. for inspection. */
export async function glyphToPng(g: DigitGlyph): Promise<Buffer> {
  const inv = Buffer.from(g.data.map((v) => 255 - v));
  return sharp(inv, { raw: { width: Math.max(1, g.width), height: Math.max(1, g.height), channels: 1 } }).png().toBuffer();
}
