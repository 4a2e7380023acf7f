/** Model-free multi-frame signals: rigid-motion residuals between landmark sets and near-duplicate tests. */
import type { Point } from './types.js';

/** Solves the small dense system M x = v (Gaussian elimination, partial pivoting). Returns null if singular. */
function solve(M: number[][], v: number[]): number[] | null {
  const n = v.length;
  const A = M.map((row, i) => [...row, v[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    if (Math.abs(A[p]![c]!) < 1e-12) return null;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= n; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  return A.map((row, i) => row[n]! / row[i]!);
}

/** Largest side of the landmarks' bounding box: the face-size unit for residuals. */
export function landmarkExtent(p: Point[]): number {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of p) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return Math.max(x1 - x0, y1 - y0, 1);
}

/**
 * RMS residual (in % of face size) after the best 2-D affine map from landmarks `a` to `b`.
 * A flat photo or screen moved in front of a camera moves (nearly) affinely; a live face adds
 * non-rigid motion — expression, blink, 3-D parallax (face-feasibility §3.5).
 */
export function affineResidual(a: Point[], b: Point[]): number {
  // Normal equations for [x y 1]·M = [u v], shared by both output columns.
  const XtX = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const Xu = [0, 0, 0];
  const Xv = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    const r = [a[i]![0], a[i]![1], 1];
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < 3; k++) XtX[j]![k]! += r[j]! * r[k]!;
      Xu[j]! += r[j]! * b[i]![0];
      Xv[j]! += r[j]! * b[i]![1];
    }
  }
  const mu = solve(XtX, Xu);
  const mv = solve(XtX, Xv);
  if (!mu || !mv) return 0;
  let ss = 0;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = a[i]!;
    const du = mu[0]! * x + mu[1]! * y + mu[2]! - b[i]![0];
    const dv = mv[0]! * x + mv[1]! * y + mv[2]! - b[i]![1];
    ss += du * du + dv * dv;
  }
  return (Math.sqrt(ss / a.length) / ((landmarkExtent(a) + landmarkExtent(b)) / 2)) * 100;
}

/**
 * RMS residual (in % of face size) after the best planar homography (8 DOF, h33 = 1, coordinates
 * normalised). A tilted print or screen moves projectively, which an affine map cannot absorb;
 * a homography can, so this is the stricter "is it flat?" test.
 */
export function homographyResidual(a: Point[], b: Point[]): number {
  const norm = (p: Point[]) => {
    const cx = p.reduce((s, q) => s + q[0], 0) / p.length;
    const cy = p.reduce((s, q) => s + q[1], 0) / p.length;
    const s = landmarkExtent(p) / 2;
    return { f: (q: Point): Point => [(q[0] - cx) / s, (q[1] - cy) / s], s };
  };
  const na = norm(a);
  const nb = norm(b);
  const A = a.map(na.f);
  const B = b.map(nb.f);
  const M = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const v = new Array<number>(8).fill(0);
  const add = (row: number[], t: number) => {
    for (let j = 0; j < 8; j++) {
      for (let k = 0; k < 8; k++) M[j]![k]! += row[j]! * row[k]!;
      v[j]! += row[j]! * t;
    }
  };
  for (let i = 0; i < A.length; i++) {
    const [x, y] = A[i]!;
    const [u, w] = B[i]!;
    add([x, y, 1, 0, 0, 0, -u * x, -u * y], u);
    add([0, 0, 0, x, y, 1, -w * x, -w * y], w);
  }
  const h = solve(M, v);
  if (!h) return 0;
  let ss = 0;
  for (let i = 0; i < A.length; i++) {
    const [x, y] = A[i]!;
    const d = h[6]! * x + h[7]! * y + 1;
    const du = (h[0]! * x + h[1]! * y + h[2]!) / d - B[i]![0];
    const dv = (h[3]! * x + h[4]! * y + h[5]!) / d - B[i]![1];
    ss += du * du + dv * dv;
  }
  // Residual is in b's normalised units (half extent): convert to % of full face size.
  return (Math.sqrt(ss / A.length) / 2) * 100;
}

/** Raw landmark displacement (RMS, % of face size): how much the face moved at all. */
export function landmarkShift(a: Point[], b: Point[]): number {
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += (a[i]![0] - b[i]![0]) ** 2 + (a[i]![1] - b[i]![1]) ** 2;
  return (Math.sqrt(ss / a.length) / landmarkExtent(a)) * 100;
}

/** Mean absolute difference of two grey thumbnails (0..255) after removing their mean (exposure edits). */
export function thumbDiff(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - ma - (b[i]! - mb));
  return s / a.length;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return d / (Math.sqrt(na * nb) || 1);
}
