/**
 * The building blocks the glyph network uses (digit-net.ts, one small patch at a time; its TypeScript trainer
 * backpropagates through them), in plain TypeScript: a dense layer, and over channel-major planes a 3×3
 * convolution with zero padding 1 and ReLU, and max pooling. Weights are laid out as torch stores them (Linear:
 * outputs × inputs; Conv2d: outputs × inputs × 3 × 3); the line and card networks share these layouts but run on
 * onnxruntime (onnx.ts).
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

/**
 * 3×3 convolution, zero padding 1, then ReLU; `maps` holds `L.inputs` planes of h × w. Each output sums its
 * inputs in order, rounded to float32 after each (as stored in `out`), each input's nine taps left to right.
 * Why it is laid out this way: the input planes are copied into zero-bordered planes, so every pixel takes the
 * same path (a zero tap adds exactly nothing, so border sums are unchanged), and outputs go four at a time, so
 * each input pixel is loaded once for four of them.
 */
export function conv3x3Relu(L: Conv3x3, maps: Float32Array, h: number, w: number): Float32Array {
  const n = h * w;
  const pw = w + 2;
  const pn = (h + 2) * pw;
  const padded = new Float32Array(L.inputs * pn);
  for (let i = 0; i < L.inputs; i++) for (let y = 0; y < h; y++) padded.set(maps.subarray(i * n + y * w, i * n + (y + 1) * w), i * pn + (y + 1) * pw + 1);
  const out = new Float32Array(L.outputs * n);
  for (let o = 0; o < L.outputs; o++) out.fill(L.b[o]!, o * n, (o + 1) * n);
  let o = 0;
  for (; o + 4 <= L.outputs; o += 4) for (let i = 0; i < L.inputs; i++) accumulate(L, padded, out, h, w, o, i, 4);
  for (; o < L.outputs; o++) for (let i = 0; i < L.inputs; i++) accumulate(L, padded, out, h, w, o, i, 1);
  for (let j = 0; j < out.length; j++) if (out[j]! < 0) out[j] = 0;
  return out;
}

/** Adds input plane i's 3×3 taps to outputs o … o + count − 1 (count 1 or 4). */
function accumulate(L: Conv3x3, padded: Float32Array, out: Float32Array, h: number, w: number, o: number, i: number, count: 1 | 4): void {
  const n = h * w;
  const pw = w + 2;
  const s0 = i * (h + 2) * pw;
  const kw = L.w;
  const k0 = (o * L.inputs + i) * 9;
  const a00 = kw[k0]!, a01 = kw[k0 + 1]!, a02 = kw[k0 + 2]!, a10 = kw[k0 + 3]!, a11 = kw[k0 + 4]!, a12 = kw[k0 + 5]!, a20 = kw[k0 + 6]!, a21 = kw[k0 + 7]!, a22 = kw[k0 + 8]!;
  if (count === 1) {
    for (let y = 0; y < h; y++) {
      const r = s0 + (y + 1) * pw + 1;
      const d = o * n + y * w;
      for (let x = 0; x < w; x++) {
        const a = r + x;
        out[d + x]! +=
          a00 * padded[a - pw - 1]! + a01 * padded[a - pw]! + a02 * padded[a - pw + 1]! +
          a10 * padded[a - 1]! + a11 * padded[a]! + a12 * padded[a + 1]! +
          a20 * padded[a + pw - 1]! + a21 * padded[a + pw]! + a22 * padded[a + pw + 1]!;
      }
    }
    return;
  }
  const k1 = k0 + L.inputs * 9;
  const k2 = k1 + L.inputs * 9;
  const k3 = k2 + L.inputs * 9;
  const b00 = kw[k1]!, b01 = kw[k1 + 1]!, b02 = kw[k1 + 2]!, b10 = kw[k1 + 3]!, b11 = kw[k1 + 4]!, b12 = kw[k1 + 5]!, b20 = kw[k1 + 6]!, b21 = kw[k1 + 7]!, b22 = kw[k1 + 8]!;
  const c00 = kw[k2]!, c01 = kw[k2 + 1]!, c02 = kw[k2 + 2]!, c10 = kw[k2 + 3]!, c11 = kw[k2 + 4]!, c12 = kw[k2 + 5]!, c20 = kw[k2 + 6]!, c21 = kw[k2 + 7]!, c22 = kw[k2 + 8]!;
  const d00 = kw[k3]!, d01 = kw[k3 + 1]!, d02 = kw[k3 + 2]!, d10 = kw[k3 + 3]!, d11 = kw[k3 + 4]!, d12 = kw[k3 + 5]!, d20 = kw[k3 + 6]!, d21 = kw[k3 + 7]!, d22 = kw[k3 + 8]!;
  for (let y = 0; y < h; y++) {
    const r = s0 + (y + 1) * pw + 1;
    const d = o * n + y * w;
    for (let x = 0; x < w; x++) {
      const a = r + x;
      const m00 = padded[a - pw - 1]!, m01 = padded[a - pw]!, m02 = padded[a - pw + 1]!;
      const m10 = padded[a - 1]!, m11 = padded[a]!, m12 = padded[a + 1]!;
      const m20 = padded[a + pw - 1]!, m21 = padded[a + pw]!, m22 = padded[a + pw + 1]!;
      out[d + x]! += a00 * m00 + a01 * m01 + a02 * m02 + a10 * m10 + a11 * m11 + a12 * m12 + a20 * m20 + a21 * m21 + a22 * m22;
      out[d + n + x]! += b00 * m00 + b01 * m01 + b02 * m02 + b10 * m10 + b11 * m11 + b12 * m12 + b20 * m20 + b21 * m21 + b22 * m22;
      out[d + 2 * n + x]! += c00 * m00 + c01 * m01 + c02 * m02 + c10 * m10 + c11 * m11 + c12 * m12 + c20 * m20 + c21 * m21 + c22 * m22;
      out[d + 3 * n + x]! += d00 * m00 + d01 * m01 + d02 * m02 + d10 * m10 + d11 * m11 + d12 * m12 + d20 * m20 + d21 * m21 + d22 * m22;
    }
  }
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
