/**
 * The card mask network: a small encoder–decoder that marks, on the whole photo shrunk to 96 × 96, which cells
 * lie on the card. It finds cards the edge-based outline finders (detect.ts) miss — on polka-dot or patterned
 * cloth, on white paper, under strong blur — because it has learned what the card's face looks like, not only
 * where its edges are. Trained on synthetic captures by scripts/train-card-net.py (weights: card-net.json); run
 * on onnxruntime as a graph built from those weights (ocr/onnx.ts).
 *
 * Network: conv3×3+ReLU (3→16) @96, pool → (16→24) @48, pool → (24→32) @24, pool → (32→48) @12, pool →
 * (48→48), (48→48) @6; then three times: nearest ×2 upsampling, concatenated with the encoder's maps of that size,
 * conv3×3+ReLU (→32 @12, →24 @24, →16 @48); a 1×1 convolution gives the mask's logits at 48 × 48.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenCV } from './cv.js';
import { orderQuad, type Quad } from './detect.js';
import type { RawImage } from './image.js';
import type { InferenceSession } from 'onnxruntime-node';
import type { Conv3x3 } from './ocr/conv.js';
import { GraphBuilder, runFloat, sessionFor } from './ocr/onnx.js';
import { fromF32 } from './ocr/digit-net.js';

export const CARD_NET_INPUT = 96;
export const CARD_NET_MASK = 48;
export const CARD_NET_PATH = fileURLToPath(new URL('./card-net.json', import.meta.url));
/** Input scaling: (v − 128) / 64 per channel. */
const INPUT_CENTRE = 128;
const INPUT_SPREAD = 64;
/** The mask is cut at this probability. */
const MASK_CUT = 0.4;
/** A card covers at least this share of the mask (a 5 % card is too small to read anyway). */
const MIN_MASK_SHARE = 0.05;

export interface CardNet {
  encoder: Conv3x3[];
  decoder: Conv3x3[];
  out: { inputs: number; w: Float32Array; b: number };
}

/**
 * The photo shrunk to input × input (stretched: the network was trained on photos of any aspect stretched the same
 * way), each output pixel the mean of the source pixels whose centres fall in it. RGB, row-major.
 */
export function shrinkPhoto(photo: RawImage, side = CARD_NET_INPUT): Uint8Array {
  const { width: W, height: H, channels: C, data } = photo;
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    const y0 = Math.floor((y * H) / side);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * H) / side));
    for (let x = 0; x < side; x++) {
      const x0 = Math.floor((x * W) / side);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * W) / side));
      let r = 0, g = 0, b = 0;
      for (let yy = y0; yy < y1; yy++) {
        let p = (yy * W + x0) * C;
        for (let xx = x0; xx < x1; xx++, p += C) {
          r += data[p]!;
          g += data[p + (C >= 3 ? 1 : 0)]!;
          b += data[p + (C >= 3 ? 2 : 0)]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * side + x) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
  return out;
}

/**
 * The network as an ONNX graph (ocr/onnx.ts), 1 × 3 × input × input → 1 × 1 × mask × mask probabilities. Encoder:
 * one convolution per scale, pooled after each but the last two (at 6 × 6). Decoder: nearest ×2 upsampling
 * (each output cell takes the cell at half its coordinates, rounded down), joined with the encoder's maps at that
 * size (deepest first, the input scale skipped), upsampled maps first; then a 1 × 1 convolution and a sigmoid.
 */
export function cardNetModel(net: CardNet): Uint8Array {
  const g = new GraphBuilder();
  let x = g.input('photo', [1, 3, CARD_NET_INPUT, CARD_NET_INPUT]);
  const skips: string[] = [];
  net.encoder.forEach((L, i) => {
    x = g.conv3x3Relu(x, L);
    if (i < net.encoder.length - 2) {
      skips.push(x);
      x = g.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
    }
  });
  const up = g.floats(Float32Array.of(1, 1, 2, 2), [4]);
  for (const L of net.decoder) {
    const wide = g.node('Resize', [x, '', up], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
    x = g.conv3x3Relu(g.node('Concat', [wide, skips.pop()!], { axis: 1 }), L);
  }
  const logits = g.node('Conv', [x, g.floats(net.out.w, [1, net.out.inputs, 1, 1]), g.floats(Float32Array.of(net.out.b), [1])], { kernel_shape: [1, 1] });
  g.output(g.node('Sigmoid', [logits]), [1, 1, CARD_NET_MASK, CARD_NET_MASK]);
  return g.model('card-net');
}

/** The network's onnxruntime session, made once. */
export const cardNetSession = (net: CardNet): Promise<InferenceSession> => sessionFor(net, cardNetModel);

/** The mask's probabilities, CARD_NET_MASK × CARD_NET_MASK, row-major, for a shrunk photo (shrinkPhoto). */
export async function cardMask(net: CardNet, input: Uint8Array): Promise<Float32Array> {
  const S = CARD_NET_INPUT;
  const n = S * S;
  const x = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) x[c * n + i] = (input[i * 3 + c]! - INPUT_CENTRE) / INPUT_SPREAD;
  return runFloat(await cardNetSession(net), x, [1, 3, S, S]);
}

/**
 * The card's outline in the photo from the mask: the largest region over MASK_CUT, upsampled (bilinear) so its
 * border falls between cells, reduced to four corners by polygon approximation of its convex hull (the least
 * tolerance that leaves four), or its minimum-area rectangle when no tolerance does. Null when no region is large
 * enough. A few per cent off at best: refine.ts aligns it with the printed layout.
 */
export function maskQuad(cv: OpenCV, mask: Float32Array, width: number, height: number): Quad | null {
  const M = CARD_NET_MASK;
  const UP = 4;
  const small = cv.matFromArray(M, M, cv.CV_32FC1, Array.from(mask));
  const big = new cv.Mat();
  const bin = new cv.Mat();
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  try {
    cv.resize(small, big, new cv.Size(M * UP, M * UP), 0, 0, cv.INTER_LINEAR);
    cv.threshold(big, bin, MASK_CUT, 255, cv.THRESH_BINARY);
    bin.convertTo(bin, cv.CV_8UC1);
    cv.findContours(bin, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE);
    let best = -1;
    let bestArea = 0;
    for (let i = 0; i < contours.size(); i++) {
      const a = cv.contourArea(contours.get(i));
      if (a > bestArea) (bestArea = a), (best = i);
    }
    if (best < 0 || bestArea < MIN_MASK_SHARE * (M * UP) ** 2) return null;
    const hull = new cv.Mat();
    const approx = new cv.Mat();
    try {
      cv.convexHull(contours.get(best), hull, false, true);
      const perimeter = cv.arcLength(hull, true);
      let pts: { x: number; y: number }[] | null = null;
      for (let eps = 0.01; eps <= 0.1 && !pts; eps += 0.01) {
        cv.approxPolyDP(hull, approx, eps * perimeter, true);
        if (approx.rows === 4) pts = Array.from({ length: 4 }, (_, k) => ({ x: approx.data32S[2 * k]!, y: approx.data32S[2 * k + 1]! }));
        else if (approx.rows < 4) break;
      }
      if (!pts) {
        const box = cv.minAreaRect(hull);
        pts = cv.RotatedRect.points(box).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y }));
      }
      pts = fitSides(contourPoints(contours.get(best)), pts!);
      // Cell centres sit at (i + 0.5) cells: the upsampled grid's pixel k covers the photo from k / (M·UP).
      return orderQuad(pts!.map((p) => ({ x: ((p.x + 0.5) / (M * UP)) * width, y: ((p.y + 0.5) / (M * UP)) * height })));
    } finally {
      hull.delete();
      approx.delete();
    }
  } finally {
    small.delete();
    big.delete();
    bin.delete();
    contours.delete();
    hierarchy.delete();
  }
}

function contourPoints(c: { data32S: Int32Array; rows: number }): { x: number; y: number }[] {
  return Array.from({ length: c.rows }, (_, k) => ({ x: c.data32S[2 * k]!, y: c.data32S[2 * k + 1]! }));
}

/**
 * The four corners again, as the crossings of straight lines fitted (least squares) to the region's border along
 * each side: the mask rounds the card's corners off at its coarse resolution, so the polygon's own vertices sit
 * inside the card. Border points near a corner (the rounded part) are left out.
 */
function fitSides(border: { x: number; y: number }[], corners: { x: number; y: number }[]): { x: number; y: number }[] {
  type Line = { px: number; py: number; dx: number; dy: number };
  const lines: Line[] = [];
  for (let k = 0; k < 4; k++) {
    const a = corners[k]!, b = corners[(k + 1) % 4]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len < 1) return corners;
    const ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
    const near = border.filter((p) => {
      const t = (p.x - a.x) * ux + (p.y - a.y) * uy;
      const d = Math.abs(-(p.x - a.x) * uy + (p.y - a.y) * ux);
      return t > 0.15 * len && t < 0.85 * len && d < 0.08 * len;
    });
    if (near.length < 5) return corners;
    // Principal direction of the points (closed form for 2 × 2 covariance).
    const mx = near.reduce((s, p) => s + p.x, 0) / near.length;
    const my = near.reduce((s, p) => s + p.y, 0) / near.length;
    let sxx = 0, syy = 0, sxy = 0;
    for (const p of near) (sxx += (p.x - mx) ** 2), (syy += (p.y - my) ** 2), (sxy += (p.x - mx) * (p.y - my));
    const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    lines.push({ px: mx, py: my, dx: Math.cos(angle), dy: Math.sin(angle) });
  }
  const out: { x: number; y: number }[] = [];
  for (let k = 0; k < 4; k++) {
    // Corner k joins side k − 1 (ending at it) and side k (starting at it).
    const l1 = lines[(k + 3) % 4]!, l2 = lines[k]!;
    const den = l1.dx * l2.dy - l1.dy * l2.dx;
    if (Math.abs(den) < 1e-6) return corners;
    const t = ((l2.px - l1.px) * l2.dy - (l2.py - l1.py) * l2.dx) / den;
    out.push({ x: l1.px + t * l1.dx, y: l1.py + t * l1.dy });
  }
  // A crossing far from its polygon vertex means a side fitted to something else: keep the polygon.
  const size = Math.hypot(corners[0]!.x - corners[2]!.x, corners[0]!.y - corners[2]!.y);
  return out.every((p, k) => Math.hypot(p.x - corners[k]!.x, p.y - corners[k]!.y) < 0.1 * size) ? out : corners;
}

interface StoredConv {
  inputs: number;
  outputs: number;
  w: string;
  b: string;
}
interface StoredCardNet {
  version: 1;
  input: number;
  mask: number;
  encoder: StoredConv[];
  decoder: StoredConv[];
  out: { inputs: number; w: string; b: number };
}

const convOf = (c: StoredConv): Conv3x3 => ({ inputs: c.inputs, outputs: c.outputs, w: fromF32(c.w), b: fromF32(c.b) });

export function deserializeCardNet(json: string): CardNet {
  const s = JSON.parse(json) as StoredCardNet;
  if (s.input !== CARD_NET_INPUT || s.mask !== CARD_NET_MASK) throw new Error(`card-net.json is for ${s.input}/${s.mask}, not ${CARD_NET_INPUT}/${CARD_NET_MASK}`);
  return { encoder: s.encoder.map(convOf), decoder: s.decoder.map(convOf), out: { inputs: s.out.inputs, w: fromF32(s.out.w), b: s.out.b } };
}

let shipped: CardNet | undefined;
/** The committed network, read once. */
export function loadCardNet(): CardNet {
  shipped ??= deserializeCardNet(fs.readFileSync(CARD_NET_PATH, 'utf8'));
  return shipped;
}

/** The card's outline as the mask network sees it, or null. */
export async function cardNetQuad(cv: OpenCV, photo: RawImage, net = loadCardNet()): Promise<Quad | null> {
  return maskQuad(cv, await cardMask(net, shrinkPhoto(photo)), photo.width, photo.height);
}
