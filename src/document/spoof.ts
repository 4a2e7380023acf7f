/**
 * Document presentation-attack and capture-quality signals, all from the photo itself:
 *  - colour: a genuine card is printed in colour (orange pyramids, blue/green guilloche); a photocopy is grey.
 *  - recapture (a photo of a screen or of a colour print): a screen's pixel grid and a print's halftone add
 *    isolated peaks to the high-frequency spectrum of the card area (measured at the photo's own resolution),
 *    in grey and in colour-opponent planes, and colour fringing. No single signal separates them from genuine
 *    captures, so a logistic model weighs them (spoof-model.json, fitted by scripts/train-spoof-model.ts on
 *    generated sets, never on the eval set).
 *  - glare: large saturated-white areas (screens and glossy prints reflect); reported, not an attack by itself.
 *  - sharpness (variance of the Laplacian) and the card's size in pixels drive the 5006 quality verdict.
 * Rates are in the eval (bench/eval-document.ts).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenCV } from './cv.js';
import type { Quad } from './detect.js';
import { crop, toGrey, type RawImage } from './image.js';

export interface SpoofResult {
  fake: boolean;
  reasons: string[];
  scores: Record<string, number>;
}

export interface QualityResult {
  ok: boolean;
  reasons: string[];
  /** Variance of the Laplacian on the canonical card (higher = sharper). */
  sharpness: number;
  /** The card's short side in photo pixels. */
  cardShortSidePx: number;
  /** Share of blown-out pixels on the card. */
  glare: number;
}

/** Lowest spatial frequency (fraction of Nyquist) searched for grid peaks: above the card's own guilloche. */
const MOIRE_MIN_FREQ = 0.5;
/** Lower edge of the middle band (a coarser halftone's dots, moiré beats). */
const MOIRE_MID_FREQ = 0.25;

export const SPOOF_THRESHOLDS = {
  /** Mean chroma (max−min of RGB) below this: a greyscale copy. */
  minChroma: 5,
  /** Share of blown-out pixels above this: glare typical of screens and glossy prints (reported only). */
  maxGlare: 0.08,
};

export const QUALITY_THRESHOLDS = {
  /** Below this the text cannot be read (5006). */
  minSharpness: 8,
  /** Card short side in photo pixels (5006 below). */
  minShortSidePx: 180,
};

export function meanChroma(card: RawImage): number {
  const { data } = card;
  let s = 0;
  let n = 0;
  // Every 3rd pixel is plenty for a mean.
  for (let i = 0; i + 2 < data.length; i += 9) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    s += Math.max(r, g, b) - Math.min(r, g, b);
    n++;
  }
  return n ? s / n : 0;
}

export function glareFraction(card: RawImage): number {
  const { data } = card;
  let bright = 0;
  let n = 0;
  for (let i = 0; i + 2 < data.length; i += 6) {
    if (data[i]! > 245 && data[i + 1]! > 245 && data[i + 2]! > 245) bright++;
    n++;
  }
  return n ? bright / n : 0;
}

export function laplacianVariance(cv: OpenCV, grey: RawImage): number {
  const m = cv.matFromArray(grey.height, grey.width, cv.CV_8UC1, grey.data);
  const lap = new cv.Mat();
  cv.Laplacian(m, lap, cv.CV_64F);
  const mean = new cv.Mat();
  const std = new cv.Mat();
  cv.meanStdDev(lap, mean, std);
  const v = (std.data64F[0] as number) ** 2;
  for (const x of [m, lap, mean, std]) x.delete();
  return v;
}

export interface RecaptureScores {
  /** Strongest isolated peak over its ring's median, 0.5–1 × Nyquist (a screen's pixel grid, a fine halftone). */
  moire: number;
  /** The same, 0.25–0.5 × Nyquist (a coarser halftone or moiré). */
  moireMid: number;
  /** Colour fringing at the photo's pixel scale (colourHighFrequency). */
  colourHf: number;
  /** Colour fringing at half the photo's resolution (a halftone's differently angled ink screens). */
  colourHfCoarse: number;
  /** `moire` and `moireMid` on the colour-opponent planes (opponentPlanes): a halftone's ink screens, sub-pixels. */
  chromaMoire: number;
  chromaMoireMid: number;
}

/**
 * Recapture signals on patches of the photo itself (no resampling, which would smear a pixel grid) taken inside
 * the card; the maximum over the patches. Print, guilloche and blur give a smooth spectrum up there; a screen's
 * pixel grid or a halftone gives spikes near the photo's Nyquist limit, and colour fringing.
 */
export function recaptureScores(cv: OpenCV, photo: RawImage, quad: Quad): RecaptureScores {
  const N = 128;
  const grey = toGrey(photo);
  const out: RecaptureScores = { moire: 0, moireMid: 0, colourHf: 0, colourHfCoarse: 0, chromaMoire: 0, chromaMoireMid: 0 };
  // Points inside the card (fractions of its width/height), mapped bilinearly through the quad.
  const spots = [
    [0.55, 0.15],
    [0.5, 0.45],
    [0.7, 0.5],
    [0.35, 0.75],
  ];
  for (const [u, v] of spots) {
    const top = { x: quad[0].x + (quad[1].x - quad[0].x) * u!, y: quad[0].y + (quad[1].y - quad[0].y) * u! };
    const bottom = { x: quad[3].x + (quad[2].x - quad[3].x) * u!, y: quad[3].y + (quad[2].y - quad[3].y) * u! };
    const cx = top.x + (bottom.x - top.x) * v!;
    const cy = top.y + (bottom.y - top.y) * v!;
    const left = Math.round(cx - N / 2);
    const topPx = Math.round(cy - N / 2);
    if (left < 0 || topPx < 0 || left + N > grey.width || topPx + N > grey.height) continue;
    const box = { left, top: topPx, width: N, height: N };
    const rgb = crop(photo, box);
    const chroma = opponentPlanes(rgb).map((plane) => spectralPeaks(cv, plane, N));
    const scores: RecaptureScores = {
      ...spectralPeaks(cv, crop(grey, box), N),
      colourHf: colourHighFrequency(rgb),
      colourHfCoarse: colourHighFrequency(halfSize(rgb)),
      chromaMoire: Math.max(...chroma.map((c) => c.moire)),
      chromaMoireMid: Math.max(...chroma.map((c) => c.moireMid)),
    };
    for (const k of Object.keys(out) as (keyof RecaptureScores)[]) out[k] = Math.max(out[k], scores[k]);
  }
  return out;
}

/**
 * Two colour-opponent planes of an RGB patch, R − B and G − (R + B) / 2, offset to mid-grey: each CMY ink screen
 * of a halftone (cyan, magenta, yellow at their own angles) and each sub-pixel column of a screen shows in one.
 */
function opponentPlanes(rgb: RawImage): RawImage[] {
  const n = rgb.width * rgb.height;
  const rb = new Uint8Array(n);
  const gm = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = rgb.data[j]!;
    const g = rgb.data[j + 1]!;
    const b = rgb.data[j + 2]!;
    rb[i] = 128 + ((r - b) >> 1);
    gm[i] = Math.max(0, Math.min(255, 128 + g - ((r + b) >> 1)));
  }
  return [rb, gm].map((data) => ({ data, width: rgb.width, height: rgb.height, channels: 1 }));
}

/** 2 × 2 box downsampling. */
function halfSize(img: RawImage): RawImage {
  const w = img.width >> 1;
  const h = img.height >> 1;
  const c = img.channels;
  const data = new Uint8Array(w * h * c);
  const row = img.width * c;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        const a = 2 * y * row + 2 * x * c + k;
        data[(y * w + x) * c + k] = (img.data[a]! + img.data[a + c]! + img.data[a + row]! + img.data[a + row + c]!) >> 2;
      }
  return { data, width: w, height: h, channels: c };
}

/**
 * Colour fringing at pixel scale: the high-pass detail of R and B relative to G. Print and a real card's
 * edges move all channels together; a screen's RGB sub-pixels imaged by a camera do not.
 */
export function colourHighFrequency(rgb: RawImage): number {
  const { data, width: W, height: H } = rgb;
  let num = 0;
  let den = 0;
  const hp = (x: number, y: number, c: number) => {
    let s = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += data[((y + dy) * W + x + dx) * 3 + c]!;
    return data[(y * W + x) * 3 + c]! - s / 9;
  };
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const r = hp(x, y, 0);
      const g = hp(x, y, 1);
      const b = hp(x, y, 2);
      num += Math.abs(r - g) + Math.abs(b - g);
      den += Math.abs(r) + Math.abs(g) + Math.abs(b);
    }
  }
  return den ? num / den : 0;
}

/** Strongest isolated peak over its ring's median, in the fine and the middle band (RecaptureScores). */
function spectralPeaks(cv: OpenCV, patch: RawImage, N: number): Pick<RecaptureScores, 'moire' | 'moireMid'> {
  const src = cv.matFromArray(N, N, cv.CV_8UC1, patch.data);
  const f = new cv.Mat();
  src.convertTo(f, cv.CV_32F);
  // Remove the mean and taper the borders so the patch edges do not paint a cross into the spectrum.
  const data = f.data32F as Float32Array;
  let mean = 0;
  for (let i = 0; i < data.length; i++) mean += data[i]!;
  mean /= data.length;
  for (let y = 0; y < N; y++) {
    const wy = 0.5 - 0.5 * Math.cos((2 * Math.PI * y) / (N - 1));
    for (let x = 0; x < N; x++) {
      const wx = 0.5 - 0.5 * Math.cos((2 * Math.PI * x) / (N - 1));
      data[y * N + x] = (data[y * N + x]! - mean) * wx * wy;
    }
  }
  const planes = new cv.MatVector();
  const zeros = cv.Mat.zeros(N, N, cv.CV_32F);
  planes.push_back(f);
  planes.push_back(zeros);
  const complex = new cv.Mat();
  cv.merge(planes, complex);
  cv.dft(complex, complex);
  const out = new cv.MatVector();
  cv.split(complex, out);
  const re = out.get(0);
  const im = out.get(1);
  const R = re.data32F as Float32Array;
  const I = im.data32F as Float32Array;
  const fine: number[] = [];
  const mid: number[] = [];
  let finePeak = 0;
  let midPeak = 0;
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N / 2 + 1; x++) {
      const fy = y <= N / 2 ? y : y - N;
      const r = Math.hypot(x, fy) / (N / 2);
      if (r < MOIRE_MID_FREQ || r > 1) continue;
      // JPEG's 8×8 blocks put peaks on multiples of N/8 in either axis: not evidence of anything.
      const bx = x % (N / 8);
      const by = ((fy % (N / 8)) + N / 8) % (N / 8);
      if (bx <= 1 || bx >= N / 8 - 1 || by <= 1 || by >= N / 8 - 1) continue;
      const mag = Math.hypot(R[y * N + x]!, I[y * N + x]!);
      if (r >= MOIRE_MIN_FREQ) {
        fine.push(mag);
        finePeak = Math.max(finePeak, mag);
      } else {
        mid.push(mag);
        midPeak = Math.max(midPeak, mag);
      }
    }
  }
  for (const m of [src, f, zeros, complex, re, im]) m.delete();
  planes.delete();
  out.delete();
  const ratio = (ring: number[], peak: number) => {
    ring.sort((a, b) => a - b);
    const median = ring[ring.length >> 1] ?? 0;
    return median > 0 ? peak / median : 0;
  };
  return { moire: ratio(fine, finePeak), moireMid: ratio(mid, midPeak) };
}

/** Everything judgeSpoof weighs: the card's mean chroma, recaptureScores and the glare share. */
export type SpoofScores = RecaptureScores & { chroma: number; glare: number };

/** A logistic model over spoof scores (scripts/train-spoof-model.ts writes it). */
export interface RecaptureModel {
  features: (keyof SpoofScores)[];
  /** Per feature: whether it enters as log(x + LOG_OFFSET) (the heavy-tailed ratios). */
  logScaled: boolean[];
  mean: number[];
  sd: number[];
  weights: number[];
  bias: number;
  /** Probability at or above which a capture is a recapture. */
  threshold: number;
  /** How it was fitted (sets, counts, rates): for people, not read by the code. */
  fitted?: unknown;
}

const LOG_OFFSET = 1e-3;
export const RECAPTURE_MODEL_PATH = fileURLToPath(new URL('./spoof-model.json', import.meta.url));
let shippedModel: RecaptureModel | undefined;
export function loadRecaptureModel(): RecaptureModel {
  shippedModel ??= JSON.parse(fs.readFileSync(RECAPTURE_MODEL_PATH, 'utf8')) as RecaptureModel;
  return shippedModel;
}

/** The model's inputs before standardising: each feature's score, as a logarithm where `logScaled` says so. */
export function recaptureInputs(model: Pick<RecaptureModel, 'features' | 'logScaled'>, scores: SpoofScores): number[] {
  return model.features.map((name, i) => (model.logScaled[i] ? Math.log(scores[name] + LOG_OFFSET) : scores[name]));
}

/** The model's probability that the scores come from a photo of a screen or a colour print. */
export function recaptureProbability(model: RecaptureModel, scores: SpoofScores): number {
  const z = recaptureInputs(model, scores).reduce((acc, x, i) => acc + (model.weights[i]! * (x - model.mean[i]!)) / model.sd[i]!, model.bias);
  return 1 / (1 + Math.exp(-z));
}

export function judgeSpoof(scores: SpoofScores, model: RecaptureModel = loadRecaptureModel()): SpoofResult {
  const reasons: string[] = [];
  const recapture = recaptureProbability(model, scores);
  if (scores.chroma < SPOOF_THRESHOLDS.minChroma) reasons.push('greyscale_copy');
  else if (recapture >= model.threshold) reasons.push('screen_or_print_recapture');
  if (scores.glare > SPOOF_THRESHOLDS.maxGlare) reasons.push('glare');
  // Glare alone is a capture problem, not evidence of an attack.
  const fake = reasons.some((r) => r !== 'glare');
  const rounded = Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, +v.toPrecision(5)]));
  return { fake, reasons, scores: { ...rounded, recapture: +recapture.toFixed(4) } };
}

export function judgeQuality(sharpness: number, cardShortSidePx: number, glare: number): QualityResult {
  const reasons: string[] = [];
  if (sharpness < QUALITY_THRESHOLDS.minSharpness) reasons.push('blurred');
  if (cardShortSidePx < QUALITY_THRESHOLDS.minShortSidePx) reasons.push('too_small');
  return { ok: reasons.length === 0, reasons, sharpness: +sharpness.toFixed(1), cardShortSidePx: Math.round(cardShortSidePx), glare: +glare.toFixed(4) };
}
