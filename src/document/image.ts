/** Small raw-pixel helpers shared by the document pipeline (sharp in, plain typed arrays out). */
import sharp from 'sharp';

/** Interleaved 8-bit pixels, `channels` per pixel, row-major. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

import type { PixelBox } from './layout.js';

/** Decodes bytes to RGB with EXIF orientation applied, downscaled so the long side is at most maxSide. */
export async function decodeRgb(bytes: Buffer, maxSide: number): Promise<RawImage> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

export function toGrey(img: RawImage): RawImage {
  if (img.channels === 1) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  const c = img.channels;
  for (let i = 0, j = 0; j < n; i += c, j++) out[j] = (img.data[i]! * 77 + img.data[i + 1]! * 150 + img.data[i + 2]! * 29) >> 8;
  return { data: out, width: img.width, height: img.height, channels: 1 };
}

/**
 * Per-pixel max(R,G,B): black print stays dark while the card's coloured security background (orange pyramids,
 * blue guilloche) turns light, which cleans up digit lines far better than luminance.
 */
export function toMaxChannel(img: RawImage): RawImage {
  if (img.channels === 1) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  const c = img.channels;
  for (let i = 0, j = 0; j < n; i += c, j++) out[j] = Math.max(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!);
  return { data: out, width: img.width, height: img.height, channels: 1 };
}

export function crop(img: RawImage, box: PixelBox): RawImage {
  const x0 = Math.max(0, Math.round(box.left));
  const y0 = Math.max(0, Math.round(box.top));
  const x1 = Math.min(img.width, Math.round(box.left + box.width));
  const y1 = Math.min(img.height, Math.round(box.top + box.height));
  const w = Math.max(1, x1 - x0);
  const h = Math.max(1, y1 - y0);
  const c = img.channels;
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    const src = ((y0 + y) * img.width + x0) * c;
    out.set(img.data.subarray(src, src + w * c), y * w * c);
  }
  return { data: out, width: w, height: h, channels: c };
}

export function rotate180(img: RawImage): RawImage {
  const c = img.channels;
  const n = img.width * img.height;
  const out = new Uint8Array(img.data.length);
  for (let p = 0; p < n; p++) {
    const q = n - 1 - p;
    for (let k = 0; k < c; k++) out[q * c + k] = img.data[p * c + k]!;
  }
  return { ...img, data: out };
}

export async function encodeRaw(img: RawImage, format: 'png' | 'jpeg'): Promise<Buffer> {
  const s = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 },
  });
  return format === 'png' ? s.png().toBuffer() : s.jpeg({ quality: 90 }).toBuffer();
}

/** Global Otsu threshold of a greyscale histogram. */
export function otsuThreshold(grey: Uint8Array): number {
  const hist = new Array<number>(256).fill(0);
  for (const v of grey) hist[v]!++;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumB = 0;
  let wB = 0;
  let best = -1;
  let thr = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (!wB) continue;
    const wF = grey.length - wB;
    if (!wF) break;
    sumB += t * hist[t]!;
    const between = wB * wF * (sumB / wB - (sum - sumB) / wF) ** 2;
    if (between > best) {
      best = between;
      thr = t;
    }
  }
  return thr;
}

/**
 * Threshold for dark print on a lighter, textured background: Otsu, but never above the midpoint between the
 * ink (0.5th percentile) and the background (median). Otsu alone splits a light background from a mid-tone
 * picture (the card's pyramids) when the text covers only a few percent of the crop.
 */
export function inkThreshold(grey: Uint8Array): number {
  const [ink, background] = percentiles(grey, 0.005, 0.5);
  return Math.min(otsuThreshold(grey), Math.round((ink! + background!) / 2));
}

/** For each share `q`, the grey level at or below which that share of the pixels lies (one histogram, 0–255). */
export function percentiles(grey: Uint8Array, ...qs: number[]): number[] {
  const hist = new Uint32Array(256);
  for (const v of grey) hist[v]!++;
  return qs.map((q) => {
    let acc = 0;
    const target = q * grey.length;
    for (let i = 0; i < 256; i++) {
      acc += hist[i]!;
      if (acc >= target) return i;
    }
    return 255;
  });
}

/**
 * Divides out the paper's brightness, estimated as a local maximum (wider than any stroke) smoothed by a box
 * mean: glare, shadows and lighting gradients leave print of one contrast everywhere, so one global threshold
 * works across a line that is half in glare. `r` is the window radius in pixels (about half a glyph height).
 */
export function flattenBackground(grey: Uint8Array, W: number, H: number, r: number): Uint8Array {
  const tmp = new Uint8Array(W * H);
  const bg = new Uint8Array(W * H);
  // Separable max filter (rows, then columns).
  const buf = new Uint8Array(Math.max(W, H) + 2 * r);
  const pre = new Uint8Array(buf.length);
  const suf = new Uint8Array(buf.length);
  for (let y = 0; y < H; y++) windowMax(grey, tmp, y * W, 1, W, r, buf, pre, suf);
  for (let x = 0; x < W; x++) windowMax(tmp, bg, x, W, H, r, buf, pre, suf);
  // Box mean of the maximum: the estimate follows the lighting, not single bright specks.
  const mean = boxMean(bg, W, H, r);
  const out = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) out[i] = Math.min(255, Math.round((255 * grey[i]!) / Math.max(1, mean[i]!)));
  return out;
}

/**
 * dst[i] = max of src over [i − r, i + r] clipped to the line, for the n pixels of one line (start, step: a row
 * or a column). van Herk / Gil-Werman: the line is padded with r zeros each side (neutral for a maximum) and cut
 * into blocks of 2r + 1; a window spans at most two blocks, so its maximum is the larger of a block suffix and a
 * block prefix (three comparisons a pixel instead of 2r + 1).
 */
function windowMax(src: Uint8Array, dst: Uint8Array, start: number, step: number, n: number, r: number, buf: Uint8Array, pre: Uint8Array, suf: Uint8Array): void {
  const len = n + 2 * r;
  const k = 2 * r + 1;
  buf.fill(0, 0, len);
  for (let i = 0; i < n; i++) buf[r + i] = src[start + i * step]!;
  for (let s = 0; s < len; s += k) {
    const e = Math.min(len, s + k) - 1;
    let m = 0;
    for (let i = s; i <= e; i++) {
      if (buf[i]! > m) m = buf[i]!;
      pre[i] = m;
    }
    m = 0;
    for (let i = e; i >= s; i--) {
      if (buf[i]! > m) m = buf[i]!;
      suf[i] = m;
    }
  }
  // Output i's window is [i, i + 2r] in padded positions.
  for (let i = 0; i < n; i++) {
    const a = suf[i]!;
    const b = pre[i + 2 * r]!;
    dst[start + i * step] = a > b ? a : b;
  }
}

/** Mean over the (2r+1)² window around each pixel (clipped at the borders), from an integral image. */
export function boxMean(grey: Uint8Array, W: number, H: number, r: number): Float32Array {
  const integral = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++) {
    let acc = 0;
    for (let x = 0; x < W; x++) {
      acc += grey[y * W + x]!;
      integral[(y + 1) * (W + 1) + x + 1] = integral[y * (W + 1) + x + 1]! + acc;
    }
  }
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(H, y + r + 1);
    for (let x = 0; x < W; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(W, x + r + 1);
      const sum = integral[y1 * (W + 1) + x1]! - integral[y0 * (W + 1) + x1]! - integral[y1 * (W + 1) + x0]! + integral[y0 * (W + 1) + x0]!;
      out[y * W + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** The image with `padX` columns of white on the left and right and `padY` rows above and below. */
export function padWhite(img: RawImage, padX: number, padY: number): RawImage {
  const c = img.channels;
  const w = img.width + 2 * padX;
  const h = img.height + 2 * padY;
  const data = new Uint8Array(w * h * c).fill(255);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width * c, (y + 1) * img.width * c), ((y + padY) * w + padX) * c);
  return { data, width: w, height: h, channels: c };
}
