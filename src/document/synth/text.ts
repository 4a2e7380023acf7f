/**
 * Text rendering through sharp's built-in pango (HarfBuzz shaping, correct Arabic joining and bidi).
 */
import sharp from 'sharp';
import type { FontSpec } from './fonts.js';
import type { Rgba } from './canvas.js';

export interface RenderedText extends Rgba {
  /** Ink bounding box inside the image (alpha > threshold), inclusive-exclusive. */
  ink: { left: number; top: number; right: number; bottom: number };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Render one line. `emPx` is the font size in pixels (pango points at 72 dpi), scaled by `font.scale`.
 * `letterSpacing` in pixels. The returned image is the pango logical box (stable per font/size, so
 * lines share a baseline), with `ink` giving the tight bounds.
 */
export async function renderText(
  text: string,
  font: FontSpec,
  emPx: number,
  opts: { rtl?: boolean; letterSpacing?: number; color?: string; digitFont?: FontSpec } = {},
): Promise<RenderedText> {
  const size = Math.max(4, emPx * font.scale);
  let body = esc(text);
  if (opts.digitFont && opts.digitFont.file !== font.file) {
    // digits (and date slashes) in another face, e.g. when the text face has non-standard digits;
    // the face is found through fontconfig (installed system-wide from Debian packages)
    const ds = Math.max(4, emPx * opts.digitFont.scale).toFixed(1);
    body = body.replace(/[٠-٩0-9][٠-٩0-9/]*/g, (m) => `<span font_desc="${opts.digitFont!.pango} ${ds}">${m}</span>`);
  }
  const ls = opts.letterSpacing ? ` letter_spacing="${Math.round(opts.letterSpacing * 1024)}"` : '';
  // explicit paragraph direction: RLE … PDF for right-to-left lines, LRE … PDF otherwise
  // (pango would otherwise guess it from the first strong character)
  const dir = opts.rtl ? '\u202B' : '\u202A';
  const markup = `<span foreground="${opts.color ?? '#000000'}"${ls}>${dir}${body}\u202C</span>`;
  const { data, info } = await sharp({
    text: { text: markup, font: `${font.pango} ${size.toFixed(1)}`, fontfile: font.file, rgba: true, dpi: 72 },
  })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  let left = W;
  let right = 0;
  let top = H;
  let bottom = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (data[(y * W + x) * 4 + 3] > 40) {
        if (x < left) left = x;
        if (x >= right) right = x + 1;
        if (y < top) top = y;
        if (y >= bottom) bottom = y + 1;
      }
    }
  if (right <= left) {
    left = 0;
    right = 0;
    top = 0;
    bottom = 0;
  }
  return { data, width: W, height: H, ink: { left, top, right, bottom } };
}

/** Uniformly scale a rendered text image (and its ink box). */
export async function scaleText(t: RenderedText, fx: number, fy = fx): Promise<RenderedText> {
  const w = Math.max(1, Math.round(t.width * fx));
  const h = Math.max(1, Math.round(t.height * fy));
  const { data } = await sharp(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength), { raw: { width: t.width, height: t.height, channels: 4 } })
    .resize(w, h, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data,
    width: w,
    height: h,
    ink: { left: Math.floor(t.ink.left * fx), right: Math.ceil(t.ink.right * fx), top: Math.floor(t.ink.top * fy), bottom: Math.ceil(t.ink.bottom * fy) },
  };
}
