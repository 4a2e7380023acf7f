/**
 * A tiny RGB raster with the few compositing operations the generator needs, on plain typed arrays
 * (no native canvas dependency). Layers rendered by sharp (text via pango, shapes via SVG/librsvg)
 * come in as RGBA raw buffers and are blended here.
 */
import sharp from 'sharp';

export interface Rgba {
  data: Uint8Array | Buffer;
  width: number;
  height: number;
}

export class Canvas {
  readonly width: number;
  readonly height: number;
  /** RGB, row-major, 3 bytes per pixel. */
  readonly data: Uint8ClampedArray;
  constructor(width: number, height: number, fill: [number, number, number] = [255, 255, 255]) {
    this.width = width;
    this.height = height;
    this.data = new Uint8ClampedArray(width * height * 3);
    if (fill[0] === 0 && fill[1] === 0 && fill[2] === 0) return;
    if (fill[0] === fill[1] && fill[1] === fill[2]) {
      this.data.fill(fill[0]);
      return;
    }
    for (let i = 0; i < width * height; i++) {
      this.data[i * 3] = fill[0];
      this.data[i * 3 + 1] = fill[1];
      this.data[i * 3 + 2] = fill[2];
    }
  }

  /** Set every pixel from a function of (x, y) returning [r,g,b] in 0..255 (written into `out`). */
  shade(fn: (x: number, y: number, out: number[]) => void): void {
    const out = [0, 0, 0];
    const d = this.data;
    let i = 0;
    for (let y = 0; y < this.height; y++)
      for (let x = 0; x < this.width; x++, i += 3) {
        fn(x, y, out);
        d[i] = out[0];
        d[i + 1] = out[1];
        d[i + 2] = out[2];
      }
  }

  /**
   * Blend an RGBA layer at (left, top). mode 'over' = normal alpha; 'multiply' = ink-like (darkens,
   * keeps background texture). `opacity` scales the layer alpha. `tint` replaces the layer colour.
   */
  blit(src: Rgba, left: number, top: number, opts: { opacity?: number; mode?: 'over' | 'multiply'; tint?: [number, number, number] } = {}): void {
    const op = opts.opacity ?? 1;
    const mode = opts.mode ?? 'over';
    const tint = opts.tint;
    const W = this.width;
    const H = this.height;
    const d = this.data;
    const s = src.data;
    const x0 = Math.max(0, Math.round(left));
    const y0 = Math.max(0, Math.round(top));
    const x1 = Math.min(W, Math.round(left) + src.width);
    const y1 = Math.min(H, Math.round(top) + src.height);
    const ox = Math.round(left);
    const oy = Math.round(top);
    for (let y = y0; y < y1; y++) {
      const sy = y - oy;
      for (let x = x0; x < x1; x++) {
        const si = (sy * src.width + (x - ox)) * 4;
        const a = (s[si + 3] / 255) * op;
        if (a <= 0) continue;
        const di = (y * W + x) * 3;
        for (let c = 0; c < 3; c++) {
          const sc = tint ? tint[c] : s[si + c];
          const bg = d[di + c];
          const v = mode === 'multiply' ? (bg * sc) / 255 : sc;
          d[di + c] = bg + (v - bg) * a;
        }
      }
    }
  }

  /** A sharp pipeline over the raw RGB pixels. */
  toSharp(): sharp.Sharp {
    return sharp(Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength), {
      raw: { width: this.width, height: this.height, channels: 3 },
    });
  }

  async png(): Promise<Buffer> {
    return this.toSharp().png({ compressionLevel: 6 }).toBuffer();
  }
}

/** Rasterise an SVG string to RGBA raw. */
export async function svgToRgba(svg: string): Promise<Rgba> {
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Decode any image to RGBA raw, optionally resized. */
export async function imageToRgba(input: Buffer, resize?: { width: number; height: number; fit?: keyof sharp.FitEnum }): Promise<Rgba> {
  let img = sharp(input).rotate();
  if (resize) img = img.resize(resize.width, resize.height, { fit: resize.fit ?? 'cover' });
  const { data, info } = await img.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Parse "#rrggbb". */
export function hex(c: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (!m) throw new Error(`bad colour ${c}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

export function toHex([r, g, b]: readonly number[]): string {
  return '#' + [r, g, b].map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0')).join('');
}
