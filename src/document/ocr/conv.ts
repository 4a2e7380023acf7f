/**
 * The building blocks our small networks use (digit-net.ts on glyph patches, line-net.ts on whole number lines),
 * in plain TypeScript: a dense layer, and over channel-major planes a 3×3 convolution with zero padding 1 and
 * ReLU, and max pooling. Weights are laid out as torch stores them (Linear: outputs × inputs; Conv2d: outputs ×
 * inputs × 3 × 3).
 */

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** outputs × inputs, row-major. */
  w: Float32Array;
  b: Float32Array;
}

/** W·x + b, with ReLU when `relu`. */
export function dense(L: DenseLayer, x: Float32Array, relu: boolean): Float32Array {
  const out = new Float32Array(L.outputs);
  for (let o = 0; o < L.outputs; o++) {
    let s = L.b[o]!;
    const row = o * L.inputs;
    for (let i = 0; i < L.inputs; i++) s += L.w[row + i]! * x[i]!;
    out[o] = relu ? Math.max(0, s) : s;
  }
  return out;
}

export interface Conv3x3 {
  inputs: number;
  outputs: number;
  w: Float32Array;
  b: Float32Array;
}

/** 3×3 convolution, zero padding 1, then ReLU; `maps` holds `L.inputs` planes of h × w. */
export function conv3x3Relu(L: Conv3x3, maps: Float32Array, h: number, w: number): Float32Array {
  const n = h * w;
  const out = new Float32Array(L.outputs * n);
  for (let o = 0; o < L.outputs; o++) {
    const base = o * n;
    out.fill(L.b[o]!, base, base + n);
    for (let i = 0; i < L.inputs; i++) {
      const s0 = i * n;
      const k = (o * L.inputs + i) * 9;
      const w00 = L.w[k]!, w01 = L.w[k + 1]!, w02 = L.w[k + 2]!;
      const w10 = L.w[k + 3]!, w11 = L.w[k + 4]!, w12 = L.w[k + 5]!;
      const w20 = L.w[k + 6]!, w21 = L.w[k + 7]!, w22 = L.w[k + 8]!;
      // Interior: all nine taps in one pass (most of the work; one write per pixel instead of nine).
      for (let y = 1; y < h - 1; y++) {
        const r = s0 + y * w;
        const d = base + y * w;
        for (let x = 1; x < w - 1; x++) {
          const a = r + x;
          out[d + x]! +=
            w00 * maps[a - w - 1]! + w01 * maps[a - w]! + w02 * maps[a - w + 1]! +
            w10 * maps[a - 1]! + w11 * maps[a]! + w12 * maps[a + 1]! +
            w20 * maps[a + w - 1]! + w21 * maps[a + w]! + w22 * maps[a + w + 1]!;
        }
      }
      // Border pixels: the taps that fall inside.
      const border = (y: number, x: number) => {
        let s = 0;
        for (let ky = -1; ky <= 1; ky++) {
          const yy = y + ky;
          if (yy < 0 || yy >= h) continue;
          for (let kx = -1; kx <= 1; kx++) {
            const xx = x + kx;
            if (xx < 0 || xx >= w) continue;
            s += L.w[k + (ky + 1) * 3 + (kx + 1)]! * maps[s0 + yy * w + xx]!;
          }
        }
        out[base + y * w + x]! += s;
      };
      for (let x = 0; x < w; x++) {
        border(0, x);
        if (h > 1) border(h - 1, x);
      }
      for (let y = 1; y < h - 1; y++) {
        border(y, 0);
        if (w > 1) border(y, w - 1);
      }
    }
    for (let j = base; j < base + n; j++) if (out[j]! < 0) out[j] = 0;
  }
  return out;
}

/** Max pooling by ph × pw (floor of the size, as torch's max_pool2d). */
export function maxPool(maps: Float32Array, channels: number, h: number, w: number, ph: number, pw: number): { maps: Float32Array; h: number; w: number } {
  const oh = Math.floor(h / ph);
  const ow = Math.floor(w / pw);
  const out = new Float32Array(channels * oh * ow);
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        let m = -Infinity;
        for (let dy = 0; dy < ph; dy++) {
          const row = c * h * w + (y * ph + dy) * w + x * pw;
          for (let dx = 0; dx < pw; dx++) m = Math.max(m, maps[row + dx]!);
        }
        out[c * oh * ow + y * ow + x] = m;
      }
  return { maps: out, h: oh, w: ow };
}
