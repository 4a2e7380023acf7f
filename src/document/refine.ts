/**
 * Refines a card outline by aligning the card's content with the printed layout.
 *
 * Outline finders lock onto whatever straight edge looks most card-like: the barcode's edge, an inner panel, or a
 * sheet of paper lying under the card. Their outlines are often off by 3 to 15 % of the card, and the field boxes
 * cannot absorb that. The printed layout is the same on every card: text lines, the portrait, the number line,
 * and on the back the barcode block. So we compare an "ink map" of the warped candidate with the mean ink map of
 * upright cards (layout-maps.json, built by scripts/build-layout-maps.ts from generated cards), using normalised
 * cross-correlation. Each side of the outline is then moved along its normal while the match improves.
 * This is coarse to fine, and each step costs one small warp.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenCV } from './cv.js';
import type { Point, Quad } from './detect.js';
import { boxMean, type RawImage } from './image.js';

/** Ink map resolution (the card at this size, ink averaged into MAP_W × MAP_H cells). */
export const MAP_W = 48;
export const MAP_H = 30;
const WARP_W = MAP_W * 3;
const WARP_H = MAP_H * 3;

export type LayoutHypothesis = 'front' | 'frontFlipped' | 'back' | 'backFlipped';

export interface LayoutMaps {
  front: Float32Array;
  back: Float32Array;
}

export const LAYOUT_MAPS_PATH = fileURLToPath(new URL('./layout-maps.json', import.meta.url));
let cached: LayoutMaps | undefined;

export function loadLayoutMaps(): LayoutMaps {
  if (!cached) {
    const raw = JSON.parse(fs.readFileSync(LAYOUT_MAPS_PATH, 'utf8')) as { w: number; h: number; front: number[]; back: number[] };
    if (raw.w !== MAP_W || raw.h !== MAP_H) throw new Error(`layout-maps.json is ${raw.w}×${raw.h}, expected ${MAP_W}×${MAP_H}: rebuild it`);
    cached = { front: normalise(Float32Array.from(raw.front)), back: normalise(Float32Array.from(raw.back)) };
  }
  return cached;
}

/** Zero mean, unit norm: the dot product of two normalised maps is their correlation. */
export function normalise(m: Float32Array): Float32Array {
  const mean = m.reduce((s, v) => s + v, 0) / m.length;
  let norm = 0;
  const out = new Float32Array(m.length);
  for (let i = 0; i < m.length; i++) {
    out[i] = m[i]! - mean;
    norm += out[i]! ** 2;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < m.length; i++) out[i]! /= norm;
  return out;
}

function rotate180Map(m: Float32Array): Float32Array {
  const out = new Float32Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = m[m.length - 1 - i]!;
  return out;
}

/**
 * Dark print relative to its surroundings, averaged per cell. The input is a max(R,G,B) card image, in which the
 * coloured security print turns light and black print stays dark.
 */
export function inkMap(grey: Uint8Array, w: number, h: number): Float32Array {
  // Local background: a box mean over about 1/8 of the card height.
  const mean = boxMean(grey, w, h, Math.max(2, Math.round(h / 16)));
  const cw = w / MAP_W;
  const ch = h / MAP_H;
  const out = new Float32Array(MAP_W * MAP_H);
  // Each column's cell, worked out once (this runs for every small warp of the outline search).
  const cellX = new Int32Array(w);
  for (let x = 0; x < w; x++) cellX[x] = Math.min(MAP_W - 1, Math.floor(x / cw));
  for (let y = 0; y < h; y++) {
    const row = Math.min(MAP_H - 1, Math.floor(y / ch)) * MAP_W;
    const p = y * w;
    for (let x = 0; x < w; x++) {
      const v = (mean[p + x]! - grey[p + x]! - 10) / 50;
      if (v > 0) out[row + cellX[x]!]! += v < 1 ? v : 1;
    }
  }
  return out;
}

/** A photo prepared once for many small warps: max(R,G,B), lightly blurred against aliasing. */
export interface RefineSource {
  mat: OpenCV;
  /** Photo pixels per source pixel (the source may be downscaled). */
  scale: number;
  delete(): void;
}

export function refineSource(cv: OpenCV, img: RawImage, maxSide = 800): RefineSource {
  const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const rgb = cv.matFromArray(img.height, img.width, cv.CV_8UC3, img.data);
  const small = new cv.Mat();
  cv.resize(rgb, small, new cv.Size(w, h), 0, 0, cv.INTER_AREA);
  rgb.delete();
  const d = small.data as Uint8Array;
  const grey = new Uint8Array(w * h);
  for (let i = 0, j = 0; j < w * h; i += 3, j++) grey[j] = Math.max(d[i]!, d[i + 1]!, d[i + 2]!);
  small.delete();
  const mat = cv.matFromArray(h, w, cv.CV_8UC1, grey);
  cv.GaussianBlur(mat, mat, new cv.Size(3, 3), 0);
  return { mat, scale, delete: () => mat.delete() };
}

function warpMap(cv: OpenCV, src: RefineSource, quad: Quad): Float32Array {
  const s = src.scale;
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, quad.flatMap((p) => [p.x * s, p.y * s]));
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, WARP_W - 1, 0, WARP_W - 1, WARP_H - 1, 0, WARP_H - 1]);
  const M = cv.getPerspectiveTransform(from, to);
  const dst = new cv.Mat();
  cv.warpPerspective(src.mat, dst, M, new cv.Size(WARP_W, WARP_H), cv.INTER_LINEAR, cv.BORDER_REPLICATE, new cv.Scalar());
  const map = normalise(inkMap(dst.data as Uint8Array, WARP_W, WARP_H));
  for (const m of [from, to, M, dst]) m.delete();
  return map;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Correlation of the warped candidate with each side/orientation of the layout, best first. */
export function layoutScores(cv: OpenCV, src: RefineSource, quad: Quad, maps = loadLayoutMaps()): { hypothesis: LayoutHypothesis; score: number }[] {
  const m = warpMap(cv, src, quad);
  const flipped = rotate180Map(m);
  return (
    [
      { hypothesis: 'front', score: dot(m, maps.front) },
      { hypothesis: 'frontFlipped', score: dot(flipped, maps.front) },
      { hypothesis: 'back', score: dot(m, maps.back) },
      { hypothesis: 'backFlipped', score: dot(flipped, maps.back) },
    ] as const
  )
    .map((h) => ({ ...h }))
    .sort((a, b) => b.score - a.score);
}

export interface RefinedQuad {
  quad: Quad;
  /** Correlation with the layout after refinement (about 0.5 or more for a well-aligned card). */
  score: number;
  /** Correlation before refinement. */
  initialScore: number;
  hypothesis: LayoutHypothesis;
}

/** Moves side k (corners k and k+1) outward along its normal by `t` times the length of the neighbouring sides. */
function moveSide(q: Quad, k: number, t: number): Quad {
  const a = q[k]!;
  const b = q[(k + 1) % 4]!;
  const prev = q[(k + 3) % 4]!;
  const next = q[(k + 2) % 4]!;
  // Slide each corner along its neighbouring side (keeps the other sides' lines; perspective-consistent).
  const slide = (p: Point, other: Point): Point => {
    const dx = p.x - other.x;
    const dy = p.y - other.y;
    return { x: p.x + dx * t, y: p.y + dy * t };
  };
  const out = [...q] as Quad;
  out[k] = slide(a, prev);
  out[(k + 1) % 4] = slide(b, next);
  return out;
}

/** Shifts the whole quad by `t` of its width (axis 0) or height (axis 1), along the card's own axes. */
function translate(q: Quad, axis: 0 | 1, t: number): Quad {
  const [a, b] = axis === 0 ? [q[0], q[1]] : [q[0], q[3]];
  const [c, d] = axis === 0 ? [q[3], q[2]] : [q[1], q[2]];
  const dx = ((b.x - a.x + d.x - c.x) / 2) * t;
  const dy = ((b.y - a.y + d.y - c.y) / 2) * t;
  return q.map((p) => ({ x: p.x + dx, y: p.y + dy })) as Quad;
}

/** Every move tried at one step size: sides in/out, the whole quad shifted, and at the finest step single corners. */
function moves(q: Quad, step: number): Quad[] {
  const out: Quad[] = [];
  for (let k = 0; k < 4; k++) for (const dir of [1, -1]) out.push(moveSide(q, k, dir * step));
  for (const axis of [0, 1] as const) for (const dir of [1, -1]) out.push(translate(q, axis, dir * step));
  if (step <= 0.01) {
    // Single corners (a wrong side angle, perspective): along each neighbouring side.
    for (let k = 0; k < 4; k++) {
      for (const other of [(k + 1) % 4, (k + 3) % 4]) {
        for (const dir of [1, -1]) {
          const c = [...q] as Quad;
          const p = q[k]!;
          const o = q[other]!;
          c[k] = { x: p.x + (p.x - o.x) * dir * step, y: p.y + (p.y - o.y) * dir * step };
          out.push(c);
        }
      }
    }
  }
  return out;
}

/**
 * Coarse-to-fine search: at each step size the best of all moves is taken while it improves the layout
 * correlation (best, not first, improvement: a side pushed out must come back in, not the opposite side follow
 * it). The hypothesis (side and orientation) is the best one at the start, re-chosen after each step size.
 */
export function refineQuad(cv: OpenCV, src: RefineSource, quad: Quad, maps = loadLayoutMaps()): RefinedQuad {
  const maps4 = { front: maps.front, frontFlipped: rotate180Map(maps.front), back: maps.back, backFlipped: rotate180Map(maps.back) };
  const score = (q: Quad, h: LayoutHypothesis) => dot(warpMap(cv, src, q), maps4[h]);
  const start = layoutScores(cv, src, quad, maps)[0]!;
  let hypothesis = start.hypothesis;
  let best = quad;
  let bestScore = start.score;
  for (const step of [0.08, 0.04, 0.02, 0.01]) {
    for (let round = 0; round < 3; round++) {
      let next: { q: Quad; s: number } | null = null;
      for (const q of moves(best, step)) {
        const s = score(q, hypothesis);
        if (s > bestScore + 1e-4 && (!next || s > next.s)) next = { q, s };
      }
      if (!next) break;
      best = next.q;
      bestScore = next.s;
    }
    const again = layoutScores(cv, src, best, maps)[0]!;
    if (again.hypothesis !== hypothesis && again.score > bestScore) {
      hypothesis = again.hypothesis;
      bestScore = again.score;
    }
  }
  return { quad: best, score: bestScore, initialScore: start.score, hypothesis };
}

export interface AlignedOutline {
  quad: Quad;
  /** Layout correlation of the quad after alignment. */
  layoutScore: number;
  hypothesis: LayoutHypothesis;
  /** Whether the quad is an outline as found (edges) or the layout-aligned one. */
  snapped: boolean;
  /** Index of the outline (in the caller's list) this candidate started from. */
  source: number;
}

/** Largest corner distance between two quads, over the four cyclic correspondences (the order may differ by 180°). */
export function quadDistance(a: Quad, b: Quad): number {
  let best = Infinity;
  for (const r of [0, 2]) {
    let m = 0;
    for (let k = 0; k < 4; k++) m = Math.max(m, Math.hypot(a[k]!.x - b[(k + r) % 4]!.x, a[k]!.y - b[(k + r) % 4]!.y));
    best = Math.min(best, m);
  }
  return best;
}

/** An aligned quad within this share of its diagonal of an edge outline is snapped to that outline. */
const SNAP = 0.04;

/**
 * The outline (index) an aligned quad snaps to: the nearest one whose `exact` is not false, if within SNAP of the
 * quad's diagonal; else −1. Edges locate a card to a pixel, the layout (or the card mask network) to a few per cent.
 */
export function snapTarget(quad: Quad, outlines: Quad[], exact?: boolean[]): number {
  const diag = Math.hypot(quad[0].x - quad[2].x, quad[0].y - quad[2].y);
  let nearest = -1;
  let nearestD = Infinity;
  outlines.forEach((o, i) => {
    if (exact && !exact[i]) return;
    const d = quadDistance(o, quad);
    if (d < nearestD) {
      nearestD = d;
      nearest = i;
    }
  });
  return nearestD < SNAP * diag ? nearest : -1;
}

/**
 * Candidates for the card, best first and computed on demand (a refinement costs ~50–80 ms, and the first
 * candidate usually reads). Outlines are ranked by how well their content matches the layout; for each of the
 * best `keep`, the layout-aligned quad comes first, then the outline as found. An aligned quad that lands
 * within SNAP of an outline the edge finders proposed is replaced by that outline: edges locate a card to a
 * pixel, while the mean layout only gets within a few per cent of it (real cards differ a little from the
 * generated ones it was averaged over, and a mock or an older print more). The layout fixes the gross errors;
 * the caller's content check (the number line must read) decides between candidates. Outlines whose `exact` is
 * false (built from two sides and the card's aspect) start alignments but are never snapped to.
 */
export function* alignedCandidates(cv: OpenCV, img: RawImage, outlines: Quad[], keep: number, exact?: boolean[]): Generator<AlignedOutline> {
  const src = refineSource(cv, img);
  try {
    const maps = loadLayoutMaps();
    const ranked = outlines.map((quad, source) => ({ quad, source, s: layoutScores(cv, src, quad, maps)[0]! })).sort((a, b) => b.s.score - a.s.score);
    const seen: Quad[] = [];
    const fresh = (q: Quad) => !seen.some((p) => quadDistance(p, q) < 1);
    for (const { quad, source, s } of ranked.slice(0, keep)) {
      // An outline that matches far worse than the best is some other object: not worth aligning.
      if (s.score >= ranked[0]!.s.score * 0.3) {
        const r = refineQuad(cv, src, quad, maps);
        const nearest = snapTarget(r.quad, outlines, exact);
        let cand: AlignedOutline;
        if (nearest >= 0) {
          const ns = layoutScores(cv, src, outlines[nearest]!, maps)[0]!;
          cand = { quad: outlines[nearest]!, layoutScore: ns.score, hypothesis: ns.hypothesis, snapped: true, source: nearest };
        } else cand = { quad: r.quad, layoutScore: r.score, hypothesis: r.hypothesis, snapped: false, source };
        if (fresh(cand.quad)) {
          seen.push(cand.quad);
          yield cand;
        }
      }
      if (fresh(quad)) {
        seen.push(quad);
        yield { quad, layoutScore: s.score, hypothesis: s.hypothesis, snapped: true, source };
      }
    }
  } finally {
    src.delete();
  }
}

/** All candidates of alignedCandidates at once. */
export function alignOutlines(cv: OpenCV, img: RawImage, outlines: Quad[], keep: number, exact?: boolean[]): AlignedOutline[] {
  return [...alignedCandidates(cv, img, outlines, keep, exact)];
}
