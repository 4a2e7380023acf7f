/**
 * Builds simulated replay attacks from any face photo: the photo, printed or shown on a screen, is held in
 * front of the camera and moved, rotated, tilted and rescaled across three frames, with recapture
 * artefacts (print: contrast loss, paper tint, halftone, noise; screen: moiré, sub-pixel stripes, blue cast)
 * and fresh sensor noise per frame. Deterministic for a given seed. Used by the tests and bench/eval-face.ts.
 */
import sharp from 'sharp';
import { mulberry32 } from '../document/synth/rng.js';
import { invert3, type Mat3 } from '../document/synth/warp.js';

export type ReplayMedium = 'print' | 'screen';

export interface ReplayOptions {
  medium?: ReplayMedium;
  seed?: number;
  frames?: number;
  /** Output frame size (camera), default 640x480. */
  width?: number;
  height?: number;
  /** Share of the frame height the held photo fills, default 0.85. */
  fill?: number;
  /** Motion amplitude multiplier (1 = rotate ±3°, scale ±4 %, shift ±4 %, tilt ±4°). */
  motion?: number;
}

const mul = (A: Mat3, B: Mat3): Mat3 => {
  const C = [0, 0, 0, 0, 0, 0, 0, 0, 0] as Mat3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) C[i * 3 + j]! += A[i * 3 + k]! * B[k * 3 + j]!;
  return C;
};

/** Applies the recapture artefacts of the medium to an RGB buffer in place. */
function recapture(px: Buffer, w: number, h: number, medium: ReplayMedium, r: () => number): void {
  const theta = ((5 + r() * 10) * Math.PI) / 180;
  const period = 3 + r() * 1.5;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        let v = px[k + c]!;
        if (medium === 'print') {
          const tint = [0.78, 0.76, 0.7][c]!;
          const off = [42, 40, 36][c]!;
          v = v * tint + off + ((x >> 1) + (y >> 1)) % 2 * 12 - 6;
        } else {
          const m = Math.sin((2 * Math.PI * (x * Math.cos(theta) + y * Math.sin(theta))) / period)
            * Math.sin((2 * Math.PI * (x * Math.sin(theta) - y * Math.cos(theta))) / (period * 1.07));
          v = v * (1 + 0.18 * m) * (x % 3 === c ? 1.08 : 0.95) * (c === 2 ? 1.06 : 1) * 1.05;
        }
        px[k + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
}

/** Three (or `frames`) JPEG frames of a replayed photo. */
export async function synthReplay(photo: Buffer, opts: ReplayOptions = {}): Promise<Buffer[]> {
  const medium = opts.medium ?? 'screen';
  const W = opts.width ?? 640;
  const H = opts.height ?? 480;
  const amp = opts.motion ?? 1;
  const r = mulberry32(opts.seed ?? 1);
  // The held medium: the photo scaled to fill part of the frame, with the print's degradation baked in once.
  const target = Math.round(H * (opts.fill ?? 0.85));
  let pipeline = sharp(photo).rotate().removeAlpha().resize({ height: target, width: Math.round(W * 0.9), fit: 'inside' });
  if (medium === 'print') {
    // Printing loses resolution: down/up-sample before the tint and halftone.
    const m = await pipeline.toBuffer({ resolveWithObject: true });
    pipeline = sharp(await sharp(m.data).resize(Math.round(m.info.width * 0.4)).toBuffer()).resize(m.info.width, m.info.height).modulate({ saturation: 0.8 });
  }
  const { data: src, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  recapture(src, info.width, info.height, medium, r);
  const sw = info.width;
  const sh = info.height;
  const border = medium === 'print' ? [244, 241, 234] : [18, 18, 20];
  const bw = Math.round(Math.min(sw, sh) * 0.04);
  const bg = [60 + r() * 80, 55 + r() * 70, 50 + r() * 60];

  const out: Buffer[] = [];
  for (let f = 0; f < (opts.frames ?? 3); f++) {
    const rot = ((r() * 2 - 1) * 3 * amp * Math.PI) / 180;
    const s = 1 + (r() * 2 - 1) * 0.04 * amp;
    const tx = (r() * 2 - 1) * 0.04 * amp * W;
    const ty = (r() * 2 - 1) * 0.04 * amp * H;
    const px = (r() * 2 - 1) * 0.00012 * amp; // perspective tilt (≈ ±4°)
    const py = (r() * 2 - 1) * 0.00012 * amp;
    const shear = (r() * 2 - 1) * 0.02 * amp;
    // Frame ← medium: centre the medium, rotate/scale/shear, tilt, then shift to the frame centre.
    const toCentre: Mat3 = [1, 0, -sw / 2, 0, 1, -sh / 2, 0, 0, 1];
    const rs: Mat3 = [s * Math.cos(rot), -s * Math.sin(rot) + shear, 0, s * Math.sin(rot), s * Math.cos(rot), 0, 0, 0, 1];
    const persp: Mat3 = [1, 0, 0, 0, 1, 0, px, py, 1];
    const toFrame: Mat3 = [1, 0, W / 2 + tx, 0, 1, H / 2 + ty, 0, 0, 1];
    const Hinv = invert3(mul(toFrame, mul(persp, mul(rs, toCentre))));
    const gain = 0.92 + r() * 0.16;
    const img = Buffer.alloc(W * H * 3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const d = Hinv[6]! * x + Hinv[7]! * y + Hinv[8]!;
        const u = (Hinv[0]! * x + Hinv[1]! * y + Hinv[2]!) / d;
        const v = (Hinv[3]! * x + Hinv[4]! * y + Hinv[5]!) / d;
        const k = (y * W + x) * 3;
        const inside = u >= -bw && v >= -bw && u < sw + bw && v < sh + bw;
        const inner = u >= 0 && v >= 0 && u <= sw - 1 && v <= sh - 1;
        for (let c = 0; c < 3; c++) {
          let val: number;
          if (inner) {
            const x0 = Math.floor(u), y0 = Math.floor(v), x1 = Math.min(x0 + 1, sw - 1), y1 = Math.min(y0 + 1, sh - 1);
            const ax = u - x0, ay = v - y0;
            val = (src[(y0 * sw + x0) * 3 + c]! * (1 - ax) + src[(y0 * sw + x1) * 3 + c]! * ax) * (1 - ay)
              + (src[(y1 * sw + x0) * 3 + c]! * (1 - ax) + src[(y1 * sw + x1) * 3 + c]! * ax) * ay;
          } else {
            val = inside ? border[c]! : bg[c]! + ((x * 7 + y * 13) % 17) - 8;
          }
          val = val * gain + (r() * 2 - 1) * 6; // exposure change and sensor noise, fresh per frame
          img[k + c] = Math.max(0, Math.min(255, Math.round(val)));
        }
      }
    }
    out.push(await sharp(img, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 78 + Math.round(r() * 12) }).toBuffer());
  }
  return out;
}
