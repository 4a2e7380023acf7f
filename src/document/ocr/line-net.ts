/**
 * A line recogniser for printed Eastern-digit lines: a small convolutional network over the whole grey line, read
 * out per column with CTC. Two are shipped, line-net.json for the ID number and line-net-dates.json for dates;
 * both are committed and were trained by us with Debian's PyTorch (scripts/train-line-net.py) on lines cut from
 * generated phone captures by scripts/extract-line-samples.ts.
 *
 * The glyph reader (digits.ts) needs the line to fall apart into one ink blob per digit; blur, glare and JPEG
 * join or break blobs, and then it cannot read the line at all. This network never segments: it sees the line's
 * grey levels and says, column by column, which digit (or nothing) is there.
 *
 * Input: the line crop's max(R,G,B) channel (dark print, light coloured background), area-resized to HEIGHT rows,
 * rounded to 8 bits, standardised by its own mean and spread. Network: four 3×3 convolutions with pooling to
 * height/8 × width/4, each column's maps → dense → a 1-D convolution over columns → logits for blank and labels.
 * It runs on onnxruntime, as a graph built from the committed weights (lineNetModel, onnx.ts).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import type { Conv3x3, DenseLayer } from './conv.js';
import { GraphBuilder, runFloat, sessionFor } from './onnx.js';
import { toMaxChannel, type RawImage } from '../image.js';
import { fromF32 } from './digit-net.js';
import type { DigitLabel } from './digits.js';

/** Rows of the line plane: digits stand ~18 px high in it (they fill ~45 % of the ID box's height). */
export const LINE_HEIGHT = 40;

/**
 * The shipped networks: two for the ID number line (digit font), one for date lines (both fonts, with '/').
 * The second ID network (`idHeavy`) has the first's shape but learned from more heavily degraded captures and
 * from number boxes placed off the line; an ID number counts only where both read it (fields.ts readIdLineByNet).
 */
export const LINE_NET_PATHS = {
  id: fileURLToPath(new URL('./line-net.json', import.meta.url)),
  idHeavy: fileURLToPath(new URL('./line-net-heavy.json', import.meta.url)),
  date: fileURLToPath(new URL('./line-net-dates.json', import.meta.url)),
} as const;
export type LineNetKind = keyof typeof LINE_NET_PATHS;

export interface LineConv extends Conv3x3 {
  /** Max pooling after the convolution (rows, columns), or none. */
  pool: [number, number] | null;
}

/** 1-D convolution over columns, zero padding k/2, ReLU (torch Conv1d layout: outputs × inputs × k). */
export interface Temporal extends DenseLayer {
  k: number;
}

export interface LineNet {
  /** Input rows. */
  height: number;
  /** Class 0 is CTC's blank; class i + 1 is labels[i]. */
  labels: DigitLabel[];
  convs: LineConv[];
  column: DenseLayer;
  temporal: Temporal;
  out: DenseLayer;
}

/** Floor on the spread used to standardise a line (a blank crop must not be blown up into noise). */
const MIN_SPREAD = 8;

/** Area (box-filter) resampling of an 8-bit plane, separable; also right for the occasional upscale. */
export function resizeArea(src: Uint8Array, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  const axis = (sn: number, dn: number) => {
    // For each destination cell: the source cells it covers and their overlap weights.
    const taps: { i: number; w: number }[][] = [];
    const ratio = sn / dn;
    for (let o = 0; o < dn; o++) {
      const a = o * ratio;
      const b = (o + 1) * ratio;
      const t: { i: number; w: number }[] = [];
      for (let i = Math.floor(a); i < Math.min(sn, Math.ceil(b)); i++) t.push({ i, w: Math.min(b, i + 1) - Math.max(a, i) });
      const z = t.reduce((s, x) => s + x.w, 0) || 1;
      taps.push(t.map((x) => ({ i: x.i, w: x.w / z })));
    }
    return taps;
  };
  const tx = axis(sw, dw);
  const ty = axis(sh, dh);
  const mid = new Float32Array(dw * sh);
  for (let y = 0; y < sh; y++)
    for (let x = 0; x < dw; x++) {
      let s = 0;
      for (const t of tx[x]!) s += src[y * sw + t.i]! * t.w;
      mid[y * dw + x] = s;
    }
  const out = new Uint8Array(dw * dh);
  for (let y = 0; y < dh; y++)
    for (let x = 0; x < dw; x++) {
      let s = 0;
      for (const t of ty[y]!) s += mid[t.i * dw + x]! * t.w;
      out[y * dw + x] = Math.max(0, Math.min(255, Math.round(s)));
    }
  return out;
}

/**
 * Horizontal stretch of each network's plane. Dates are printed about twice as densely as the ID number (a digit
 * every ~10 plane columns against ~23, so 2–3 pooled columns a character); stretched, a date character gets about
 * as many columns as an ID digit. The date network was trained on stretched planes.
 */
export const LINE_STRETCH: Record<LineNetKind, number> = { id: 1, idHeavy: 1, date: 2 };

/** The 8-bit plane a network reads (also what the sample extractor stores): LINE_HEIGHT rows, width to scale. */
export function linePlane(img: RawImage, kind: LineNetKind): { data: Uint8Array; width: number } {
  const g = toMaxChannel(img);
  const width = Math.max(8, Math.round((g.width * LINE_HEIGHT * LINE_STRETCH[kind]) / Math.max(1, g.height)));
  return { data: resizeArea(g.data, g.width, g.height, width, LINE_HEIGHT), width };
}

/** Per-column class probabilities of a kind's network on a line image. */
export function readLine(img: RawImage, kind: LineNetKind): Promise<Float32Array[]> {
  const { data, width } = linePlane(img, kind);
  return lineProbabilities(loadLineNet(kind), data, width);
}

/** Standardisation by the plane's own mean and spread (the trainer does the same). */
export function standardise(plane: Uint8Array): Float32Array {
  let s = 0;
  let s2 = 0;
  for (const v of plane) {
    s += v;
    s2 += v * v;
  }
  const n = plane.length || 1;
  const mean = s / n;
  const spread = Math.max(MIN_SPREAD, Math.sqrt(Math.max(0, s2 / n - mean * mean)));
  const x = new Float32Array(plane.length);
  for (let i = 0; i < plane.length; i++) x[i] = (plane[i]! - mean) / spread;
  return x;
}

/**
 * The network as an ONNX graph (onnx.ts), the layers as torch ran them in training: the convolutions (ReLU,
 * pooling) over 1 × 1 × height × width; each column's maps (channel, row) → the column layer; a 1-D convolution
 * over columns; the output layer and a softmax per column. Output: 1 × columns × (1 + labels).
 */
export function lineNetModel(net: LineNet): Uint8Array {
  const g = new GraphBuilder();
  let x = g.input('plane', [1, 1, net.height, 'width']);
  let h = net.height;
  for (const L of net.convs) {
    x = g.conv3x3Relu(x, L);
    if (L.pool) {
      x = g.node('MaxPool', [x], { kernel_shape: L.pool, strides: L.pool });
      h = Math.floor(h / L.pool[0]);
    }
  }
  const C = net.convs.at(-1)!.outputs;
  // 1 × C × h × w → 1 × w × (C·h): one feature vector per column, channel-major as the trainer flattens it.
  x = g.node('Reshape', [g.node('Transpose', [x], { perm: [0, 3, 1, 2] }), g.int64s([1, -1, C * h])]);
  x = g.node('Relu', [g.linear(x, net.column)]);
  const T = net.temporal;
  x = g.node('Conv', [g.node('Transpose', [x], { perm: [0, 2, 1] }), g.floats(T.w, [T.outputs, T.inputs, T.k]), g.floats(T.b, [T.outputs])], { kernel_shape: [T.k], pads: [T.k >> 1, T.k >> 1] });
  x = g.node('Transpose', [g.node('Relu', [x])], { perm: [0, 2, 1] });
  const probs = g.node('Softmax', [g.linear(x, net.out)], { axis: -1 });
  g.output(probs, [1, 'columns', net.labels.length + 1]);
  return g.model('line-net');
}

/** The network's onnxruntime session, made once. */
export const lineNetSession = (net: LineNet): Promise<InferenceSession> => sessionFor(net, lineNetModel);

/** Per-column class probabilities (columns × (1 + labels)), blank first. */
export async function lineProbabilities(net: LineNet, plane: Uint8Array, width: number): Promise<Float32Array[]> {
  const probs = await runFloat(await lineNetSession(net), standardise(plane), [1, 1, net.height, width]);
  const classes = net.labels.length + 1;
  return Array.from({ length: probs.length / classes }, (_, t) => probs.subarray(t * classes, (t + 1) * classes));
}

/** Best-path decoding: the most likely class per column, repeats merged, blanks dropped. */
export function bestPath(net: LineNet, probs: Float32Array[]): string {
  let text = '';
  let prev = 0;
  for (const p of probs) {
    let cls = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[cls]!) cls = i;
    if (cls !== 0 && cls !== prev) text += net.labels[cls - 1];
    prev = cls;
  }
  return text;
}

export interface ConstrainedRead {
  /** Sequences of exactly the wanted length that the constraint allows, most probable first (log-probabilities). */
  complete: { text: string; logp: number }[];
  /** Log-probability of the most probable sequence the search kept, of any length. */
  bestLogp: number;
  /** Log of the probability of everything the search kept (sequences of any length up to the wanted one). */
  logMass: number;
}

/**
 * CTC prefix beam search restricted to sequences the caller allows (`allow` on every prefix) of at most
 * `length` labels. Where the best path is off by a doubled or dropped character, the most probable allowed
 * sequence of the right length is still found, with its probability summed over all its alignments.
 */
export function constrainedDecode(net: LineNet, probs: Float32Array[], length: number, allow: (prefix: string) => boolean, beam = 48): ConstrainedRead {
  type Entry = { pb: number; pnb: number };
  let beams = new Map<string, Entry>([['', { pb: 1, pnb: 0 }]]);
  let logScale = 0;
  const MIN_P = 1e-4;
  for (const p of probs) {
    const next = new Map<string, Entry>();
    const at = (s: string) => {
      let e = next.get(s);
      if (!e) next.set(s, (e = { pb: 0, pnb: 0 }));
      return e;
    };
    for (const [s, e] of beams) {
      const total = e.pb + e.pnb;
      at(s).pb += total * p[0]!;
      const last = s.length ? net.labels.indexOf(s[s.length - 1] as DigitLabel) + 1 : -1;
      for (let c = 1; c < p.length; c++) {
        const pc = p[c]!;
        if (pc < MIN_P) continue;
        if (c === last) {
          // The same label again: a repeat of the last character unless a blank came between.
          at(s).pnb += e.pnb * pc;
          if (s.length < length && e.pb > 0 && allow(s + net.labels[c - 1])) at(s + net.labels[c - 1]).pnb += e.pb * pc;
        } else if (s.length < length && allow(s + net.labels[c - 1])) at(s + net.labels[c - 1]).pnb += total * pc;
      }
    }
    const kept = [...next.entries()].sort((a, b) => b[1].pb + b[1].pnb - (a[1].pb + a[1].pnb)).slice(0, beam);
    // Rescale each step (long lines underflow otherwise); the scale is kept in log space.
    const top = kept.length ? kept[0]![1].pb + kept[0]![1].pnb : 0;
    if (top <= 0) return { complete: [], bestLogp: -Infinity, logMass: -Infinity };
    logScale += Math.log(top);
    beams = new Map(kept.map(([s, e]) => [s, { pb: e.pb / top, pnb: e.pnb / top }]));
  }
  let mass = 0;
  let bestLogp = -Infinity;
  const complete: { text: string; logp: number }[] = [];
  for (const [s, e] of beams) {
    const logp = Math.log(e.pb + e.pnb) + logScale;
    mass += e.pb + e.pnb;
    bestLogp = Math.max(bestLogp, logp);
    if (s.length === length) complete.push({ text: s, logp });
  }
  complete.sort((a, b) => b.logp - a.logp);
  return { complete, bestLogp, logMass: Math.log(mass) + logScale };
}

/**
 * The most probable sequence of `length` labels that `allow` accepts (constrainedDecode), with a confidence: the
 * product of its share of the probability of everything the search kept (low when the network sees another
 * number of characters, or another allowed sequence is nearly as likely) and its closeness to the most probable
 * sequence under the looser `looser(best)` (low when the rules forced characters the network did not see).
 * Null when no allowed sequence has any probability.
 */
export function constrainedReading(
  net: LineNet,
  probs: Float32Array[],
  length: number,
  allow: (prefix: string) => boolean,
  looser: (best: string) => (prefix: string) => boolean,
): { text: string; confidence: number } | null {
  const read = constrainedDecode(net, probs, length, allow);
  const best = read.complete[0];
  if (!best) return null;
  const free = constrainedDecode(net, probs, 20, looser(best.text));
  const posterior = Math.exp(best.logp - read.logMass);
  const closeness = Math.exp(Math.min(0, best.logp - free.bestLogp));
  return { text: best.text, confidence: posterior * closeness };
}

interface StoredDense {
  inputs: number;
  outputs: number;
  w: string;
  b: string;
}
interface StoredLineNet {
  version: 1;
  height: number;
  labels: DigitLabel[];
  convs: (StoredDense & { pool: [number, number] | null })[];
  column: StoredDense;
  temporal: StoredDense & { k: number };
  out: StoredDense;
}

const denseOf = (d: StoredDense): DenseLayer => ({ inputs: d.inputs, outputs: d.outputs, w: fromF32(d.w), b: fromF32(d.b) });

export function deserializeLineNet(json: string): LineNet {
  const s = JSON.parse(json) as StoredLineNet;
  return {
    height: s.height,
    labels: s.labels,
    convs: s.convs.map((c) => ({ ...denseOf(c), pool: c.pool })),
    column: denseOf(s.column),
    temporal: { ...denseOf(s.temporal), k: s.temporal.k },
    out: denseOf(s.out),
  };
}

const shipped = new Map<LineNetKind, LineNet>();
/** A committed line network, read once. */
export function loadLineNet(kind: LineNetKind): LineNet {
  let net = shipped.get(kind);
  if (!net) shipped.set(kind, (net = deserializeLineNet(fs.readFileSync(LINE_NET_PATHS[kind], 'utf8'))));
  return net;
}
