/**
 * Projective geometry on raw pixel buffers (no OpenCV): homography from 4 point pairs, inverse,
 * point mapping and an inverse-mapped bilinear warp of an RGB(A) buffer into a destination buffer.
 */

export type Point = [number, number];
/** 3×3 matrix, row-major. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

/** Solve A x = b (n×n, Gaussian elimination with partial pivoting). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-12) throw new Error('singular system');
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}

/** Homography mapping src[i] → dst[i] (4 pairs). */
export function homography(src: readonly Point[], dst: readonly Point[]): Mat3 {
  const A: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i];
    const [u, v] = dst[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const h = solve(A, b);
  return [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1];
}

export function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-15) throw new Error('singular matrix');
  const k = 1 / det;
  return [A * k, -(b * i - c * h) * k, (b * f - c * e) * k, B * k, (a * i - c * g) * k, -(a * f - c * d) * k, C * k, -(a * h - b * g) * k, (a * e - b * d) * k];
}

export function mapPoint(m: Mat3, [x, y]: Point): Point {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}

export interface RasterRGB {
  data: Uint8Array | Uint8ClampedArray | Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * Warp `src` onto `dst` (RGB, 3 channels) with homography `m` (src px → dst px), bilinear sampling,
 * compositing over what is in dst. `alpha(x, y)` (src coordinates) gives an extra coverage in 0..1
 * (e.g. rounded card corners). Edges are antialiased over ~1 source pixel. Only the bounding box of
 * the mapped source is visited. Returns the coverage mask (0..255) over dst if `wantMask`.
 */
export function warpInto(
  src: RasterRGB,
  dst: { data: Uint8ClampedArray; width: number; height: number },
  m: Mat3,
  opts: { alpha?: (x: number, y: number) => number; cornerRadius?: number; wantMask?: boolean } = {},
): Uint8Array | null {
  const inv = invert3(m);
  const sw = src.width;
  const sh = src.height;
  const sc = src.channels;
  const corners: Point[] = [
    [0, 0],
    [sw, 0],
    [sw, sh],
    [0, sh],
  ].map((p) => mapPoint(m, p as Point));
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0]))) - 1);
  const x1 = Math.min(dst.width, Math.ceil(Math.max(...corners.map((p) => p[0]))) + 1);
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1]))) - 1);
  const y1 = Math.min(dst.height, Math.ceil(Math.max(...corners.map((p) => p[1]))) + 1);
  const mask = opts.wantMask ? new Uint8Array(dst.width * dst.height) : null;
  const s = src.data;
  const d = dst.data;
  const [a, b, c, e, f, g, h, i, j] = inv;
  const rad = opts.cornerRadius ?? 0;
  const dw = dst.width;
  for (let y = y0; y < y1; y++) {
    const py = y + 0.5;
    // numerators/denominator are affine in x along a row: step them incrementally
    let nu = a * (x0 + 0.5) + b * py + c;
    let nv = e * (x0 + 0.5) + f * py + g;
    let w = h * (x0 + 0.5) + i * py + j;
    for (let x = x0; x < x1; x++, nu += a, nv += e, w += h) {
      const iw = 1 / w;
      const u = nu * iw - 0.5;
      const v = nv * iw - 0.5;
      if (u < -1 || v < -1 || u > sw || v > sh) continue;
      // coverage: distance to the source rectangle edge (antialias)
      let cov = 1;
      if (u < 0) cov = u + 1;
      else if (u > sw - 1) cov = sw - u;
      if (v < 0) cov = Math.min(cov, v + 1);
      else if (v > sh - 1) cov = Math.min(cov, sh - v);
      if (cov <= 0) continue;
      if (rad > 0 && (u < rad || u > sw - rad) && (v < rad || v > sh - rad)) {
        // rounded corner: distance from the corner circle's centre
        const ccx = u < rad ? rad : sw - rad;
        const ccy = v < rad ? rad : sh - rad;
        const dd = Math.sqrt((u - ccx) * (u - ccx) + (v - ccy) * (v - ccy));
        if (dd >= rad + 0.5) continue;
        if (dd > rad - 0.5) cov *= rad + 0.5 - dd;
      }
      if (opts.alpha) cov *= opts.alpha(u, v);
      if (cov <= 0) continue;
      const uc = u < 0 ? 0 : u > sw - 1 ? sw - 1 : u;
      const vc = v < 0 ? 0 : v > sh - 1 ? sh - 1 : v;
      const ux = uc | 0;
      const vy = vc | 0;
      const fx = uc - ux;
      const fy = vc - vy;
      const ux1 = ux + 1 < sw ? ux + 1 : ux;
      const vy1 = vy + 1 < sh ? vy + 1 : vy;
      const i00 = (vy * sw + ux) * sc;
      const i10 = (vy * sw + ux1) * sc;
      const i01 = (vy1 * sw + ux) * sc;
      const i11 = (vy1 * sw + ux1) * sc;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const di = (y * dw + x) * 3;
      const r = s[i00] * w00 + s[i10] * w10 + s[i01] * w01 + s[i11] * w11;
      const gg = s[i00 + 1] * w00 + s[i10 + 1] * w10 + s[i01 + 1] * w01 + s[i11 + 1] * w11;
      const bb = s[i00 + 2] * w00 + s[i10 + 2] * w10 + s[i01 + 2] * w01 + s[i11 + 2] * w11;
      if (cov >= 1) {
        d[di] = r;
        d[di + 1] = gg;
        d[di + 2] = bb;
      } else {
        d[di] = d[di] + (r - d[di]) * cov;
        d[di + 1] = d[di + 1] + (gg - d[di + 1]) * cov;
        d[di + 2] = d[di + 2] + (bb - d[di + 2]) * cov;
      }
      if (mask) mask[y * dw + x] = Math.round(cov * 255);
    }
  }
  return mask;
}

/** Coverage function of a rounded rectangle w×h with corner radius r (source coordinates). */
export function roundedRectAlpha(w: number, h: number, r: number): (x: number, y: number) => number {
  return (x, y) => {
    const cx = x < r ? r : x > w - r ? w - r : x;
    const cy = y < r ? r : y > h - r ? h - r : y;
    if (cx === x || cy === y) return 1;
    const d = Math.hypot(x - cx, y - cy);
    return d <= r - 0.5 ? 1 : d >= r + 0.5 ? 0 : r + 0.5 - d;
  };
}
