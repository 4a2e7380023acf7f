/**
 * The single-threaded face pipeline: ONNX sessions plus pre/post-processing re-implemented in Node
 * (face-feasibility.md appendix B.2). Runs inside each pool worker (or inline with poolSize 0).
 */
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { ONE_THREAD_SESSION } from '../imaging/onnx-session.js';
import { loadVerifiedModel, resolveModels, type ModelOverrides, type ModelRole } from './models.js';
import type { Box, FaceQuality, Point, RawAnalysis, RawFace } from './types.js';

/** Raw RGB image, 3 bytes per pixel. */
export interface Rgb {
  data: Buffer;
  w: number;
  h: number;
}

export interface PipelineOptions {
  models?: ModelOverrides;
  /** Detector score above which a detection is a face. */
  detectThreshold?: number;
  /** Lower score reported as "face-like" (4208). */
  weakThreshold?: number;
  /** Faces beyond this many (largest first) get no landmarks/embedding. */
  maxAnalysedFaces?: number;
  /** Longest side of the working image. */
  maxSide?: number;
}

// The eye-state model is in the registry but not run: it reads glasses as closed eyes; EAR is used instead.
const USED_ROLES = ['detector', 'landmarks', 'embedding', 'pad', 'pose'] as const satisfies readonly ModelRole[];
type UsedRole = (typeof USED_ROLES)[number];

const ARCFACE_REF: Point[] = [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]];

export class FacePipeline {
  private constructor(
    private readonly s: Record<UsedRole, ort.InferenceSession>,
    private readonly opt: Required<Omit<PipelineOptions, 'models'>>,
  ) {}

  static async create(options: PipelineOptions = {}): Promise<FacePipeline> {
    const specs = resolveModels(options.models ?? {});
    const sessions = {} as Record<UsedRole, ort.InferenceSession>;
    for (const role of USED_ROLES) sessions[role] = await ort.InferenceSession.create(loadVerifiedModel(specs[role]), ONE_THREAD_SESSION);
    return new FacePipeline(sessions, {
      detectThreshold: options.detectThreshold ?? 0.7,
      weakThreshold: options.weakThreshold ?? 0.4,
      maxAnalysedFaces: options.maxAnalysedFaces ?? 3,
      maxSide: options.maxSide ?? 1024,
    });
  }

  async close(): Promise<void> {
    for (const s of Object.values(this.s)) await s.release();
  }

  /** Full analysis of one encoded image (JPEG/PNG bytes, EXIF orientation honoured). */
  async analyze(bytes: Buffer): Promise<RawAnalysis> {
    const t0 = performance.now();
    const { data, info } = await sharp(bytes)
      .rotate()
      .resize({ width: this.opt.maxSide, height: this.opt.maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColorspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const meta = await sharp(bytes).metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    const origW = (rotated ? meta.height : meta.width) ?? info.width;
    let img: Rgb = { data, w: info.width, h: info.height };
    const toOrig = origW / info.width;
    let { faces: dets, weak } = await this.detect(img);
    // Tight face crops (a portrait cut to the face) defeat the detector: retry once on an edge-padded copy.
    let off = 0;
    if (dets.length === 0) {
      const pad = Math.round(0.3 * Math.max(img.w, img.h));
      const padded = await sharp(img.data, { raw: { width: img.w, height: img.h, channels: 3 } })
        .extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' }).raw().toBuffer();
      const pimg = { data: padded, w: img.w + 2 * pad, h: img.h + 2 * pad };
      const retry = await this.detect(pimg);
      if (retry.faces.length) {
        ({ faces: dets, weak } = retry);
        img = pimg;
        off = pad;
      } else weak = Math.max(weak, retry.weak);
    }
    const pyr = new Pyramid(img);
    // Most prominent first: large and central. A second person beside the subject, or the small ghost
    // portrait on an ID card, comes after the subject.
    const cx = img.w / 2, cy = img.h / 2, half = Math.hypot(cx, cy);
    const prominence = (d: Det) => area(d) * (1 - 0.5 * Math.hypot((d.x1 + d.x2) / 2 - cx, (d.y1 + d.y2) / 2 - cy) / half);
    dets.sort((a, b) => prominence(b) - prominence(a));
    const unpad = (b: Box): Box => scaleBox({ ...b, x: b.x - off, y: b.y - off }, toOrig);
    const faces: RawFace[] = [];
    for (let i = 0; i < dets.length; i++) {
      const d = dets[i]!;
      const box = { x: d.x1, y: d.y1, width: d.x2 - d.x1, height: d.y2 - d.y1 };
      if (i >= this.opt.maxAnalysedFaces) {
        faces.push({ box: unpad(box), score: d.score, analysed: false });
        continue;
      }
      const lm = await this.landmarks(pyr, box);
      const embedding = await this.embed(pyr, lm);
      const liveScore = await this.pad(img, box);
      const pose = await this.pose(pyr, box);
      const quality = await faceQuality(img, box, lm, pose, toOrig);
      faces.push({
        box: unpad(box),
        score: d.score,
        analysed: true,
        landmarks: lm.map(([x, y]) => [(x - off) * toOrig, (y - off) * toOrig] as Point),
        embedding,
        liveScore,
        quality,
      });
    }
    const thumb = Array.from(
      await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).greyscale().resize(32, 32, { fit: 'fill' }).raw().toBuffer(),
    );
    return { width: Math.round(info.width * toOrig), height: Math.round(info.height * toOrig), faces, weakScore: weak, thumb, ms: performance.now() - t0 };
  }

  private async detect(img: Rgb): Promise<{ faces: Det[]; weak: number }> {
    const px = await sharp(img.data, { raw: { width: img.w, height: img.h, channels: 3 } }).resize(320, 240, { fit: 'fill' }).raw().toBuffer();
    const n = 320 * 240;
    const inp = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) inp[c * n + i] = (px[i * 3 + c]! - 127) / 128;
    const r = await this.s.detector.run({ [this.s.detector.inputNames[0]!]: new ort.Tensor('float32', inp, [1, 3, 240, 320]) });
    const sc = r.scores!.data as Float32Array;
    const bx = r.boxes!.data as Float32Array;
    const dets: Det[] = [];
    let weak = 0;
    for (let i = 0; i < sc.length / 2; i++) {
      const s = sc[i * 2 + 1]!;
      if (s < this.opt.weakThreshold) continue;
      const d = {
        score: s,
        x1: clamp(bx[i * 4]! * img.w, 0, img.w - 1),
        y1: clamp(bx[i * 4 + 1]! * img.h, 0, img.h - 1),
        x2: clamp(bx[i * 4 + 2]! * img.w, 1, img.w),
        y2: clamp(bx[i * 4 + 3]! * img.h, 1, img.h),
      };
      if (d.x2 - d.x1 < 8 || d.y2 - d.y1 < 8) continue;
      if (s >= this.opt.detectThreshold) dets.push(d);
      else weak = Math.max(weak, s);
    }
    dets.sort((a, b) => b.score - a.score);
    const keep: Det[] = [];
    for (const d of dets) if (keep.every((k) => iou(k, d) < 0.4)) keep.push(d);
    return { faces: keep, weak };
  }

  private async landmarks(pyr: Pyramid, b: Box): Promise<Point[]> {
    const { img, k } = await pyr.level(b.width / 64);
    const inp = cropResizeCHW(img, b.x / k, b.y / k, b.width / k, b.height / k, 64, 64, (v) => v / 256, true);
    const r = await this.s.landmarks.run({ [this.s.landmarks.inputNames[0]!]: new ort.Tensor('float32', inp, [1, 1, 64, 64]) });
    const o = r[this.s.landmarks.outputNames[0]!]!.data as Float32Array;
    const p: Point[] = [];
    for (let i = 0; i < 68; i++) p.push([o[i * 2]! * b.width + b.x, o[i * 2 + 1]! * b.height + b.y]);
    return p;
  }

  private async embed(pyr: Pyramid, lm: Point[]): Promise<number[]> {
    const src = fivePoints(lm);
    const eyeDist = Math.hypot(src[1]![0] - src[0]![0], src[1]![1] - src[0]![1]);
    // Downsample first when the face is much larger than the template, so the warp does not alias.
    const { img, k } = await pyr.level(eyeDist / 35.2);
    const T = similarityTransform(src.map(([x, y]) => [x / k, y / k] as Point), ARCFACE_REF);
    const det = T.a * T.a + T.b * T.b;
    const n = 112 * 112;
    const out = new Float32Array(3 * n);
    for (let v = 0; v < 112; v++) {
      for (let u = 0; u < 112; u++) {
        const U = u - T.tx;
        const V = v - T.ty;
        const x = (T.a * U + T.b * V) / det;
        const y = (-T.b * U + T.a * V) / det;
        for (let c = 0; c < 3; c++) out[c * n + v * 112 + u] = (sample(img, x, y, c) - 127) / 128;
      }
    }
    const r = await this.s.embedding.run({ [this.s.embedding.inputNames[0]!]: new ort.Tensor('float32', out, [1, 3, 112, 112]) });
    const e = Array.from(r[this.s.embedding.outputNames[0]!]!.data as Float32Array);
    const norm = Math.hypot(...e) || 1;
    return e.map((x) => x / norm);
  }

  /** Texture PAD score on the 2.7x context crop, BGR raw 0..255 (channel order matters for this model). */
  private async pad(img: Rgb, b: Box): Promise<number> {
    const sc = Math.min((img.h - 1) / b.height, (img.w - 1) / b.width, 2.7);
    const nw = b.width * sc;
    const nh = b.height * sc;
    const x1 = clamp(b.x + b.width / 2 - nw / 2, 0, img.w - 1 - nw);
    const y1 = clamp(b.y + b.height / 2 - nh / 2, 0, img.h - 1 - nh);
    const inp = cropResizeCHW(img, x1, y1, nw, nh, 128, 128, (v) => v);
    const plane = 128 * 128;
    const red = inp.slice(0, plane);
    inp.copyWithin(0, 2 * plane, 3 * plane);
    inp.set(red, 2 * plane);
    const r = await this.s.pad.run({ [this.s.pad.inputNames[0]!]: new ort.Tensor('float32', inp, [1, 3, 128, 128]) });
    return softmax(Array.from(r[this.s.pad.outputNames[0]!]!.data as Float32Array))[0]!;
  }

  private async pose(pyr: Pyramid, b: Box): Promise<{ yaw: number; pitch: number; roll: number }> {
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const { img, k } = await pyr.level((b.width * 1.5) / 224);
    const inp = cropResizeCHW(img, (b.x - b.width / 4) / k, (b.y - b.height / 4) / k, (b.width * 1.5) / k, (b.height * 1.5) / k, 224, 224,
      (v, c) => (v / 255 - mean[c]!) / std[c]!);
    const r = await this.s.pose.run({ [this.s.pose.inputNames[0]!]: new ort.Tensor('float32', inp, [1, 3, 224, 224]) });
    const [yaw, pitch, roll] = this.s.pose.outputNames.map((n) =>
      softmax(Array.from(r[n]!.data as Float32Array)).reduce((s, x, i) => s + x * i, 0) * 3 - 99);
    return { yaw: yaw!, pitch: pitch!, roll: roll! };
  }
}

interface Det {
  score: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Cached power-of-two downscales, so crops are sampled at roughly their output resolution. */
class Pyramid {
  private readonly levels = new Map<number, Promise<Rgb>>();
  constructor(private readonly base: Rgb) {}
  async level(ratio: number): Promise<{ img: Rgb; k: number }> {
    let k = 1;
    while (k * 2 <= ratio && k < 16) k *= 2;
    if (k === 1) return { img: this.base, k };
    let p = this.levels.get(k);
    if (!p) {
      const b = this.base;
      const w = Math.max(1, Math.round(b.w / k));
      const h = Math.max(1, Math.round(b.h / k));
      p = sharp(b.data, { raw: { width: b.w, height: b.h, channels: 3 } }).resize(w, h, { fit: 'fill' }).raw().toBuffer()
        .then((data) => ({ data, w, h }));
      this.levels.set(k, p);
    }
    const img = await p;
    return { img, k: this.base.w / img.w };
  }
}

const area = (d: Det) => (d.x2 - d.x1) * (d.y2 - d.y1);
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), Math.max(lo, hi));
const scaleBox = (b: Box, s: number): Box => ({ x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s });

function iou(a: Det, b: Det): number {
  const i = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1)) * Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  return i / (area(a) + area(b) - i);
}

export function softmax(a: number[]): number[] {
  const m = Math.max(...a);
  const e = a.map((x) => Math.exp(x - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((x) => x / s);
}

function sample(img: Rgb, x: number, y: number, c: number): number {
  x = Math.min(Math.max(x, 0), img.w - 1);
  y = Math.min(Math.max(y, 0), img.h - 1);
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, img.w - 1);
  const y1 = Math.min(y0 + 1, img.h - 1);
  const ax = x - x0;
  const ay = y - y0;
  const d = img.data;
  const W = img.w;
  return (d[(y0 * W + x0) * 3 + c]! * (1 - ax) + d[(y0 * W + x1) * 3 + c]! * ax) * (1 - ay)
    + (d[(y1 * W + x0) * 3 + c]! * (1 - ax) + d[(y1 * W + x1) * 3 + c]! * ax) * ay;
}

function cropResizeCHW(img: Rgb, rx: number, ry: number, rw: number, rh: number, ow: number, oh: number,
  norm: (v: number, c: number) => number, grey = false): Float32Array {
  const C = grey ? 1 : 3;
  const out = new Float32Array(C * ow * oh);
  for (let v = 0; v < oh; v++) {
    for (let u = 0; u < ow; u++) {
      const sx = rx + ((u + 0.5) * rw) / ow - 0.5;
      const sy = ry + ((v + 0.5) * rh) / oh - 0.5;
      if (grey) out[v * ow + u] = norm(0.299 * sample(img, sx, sy, 0) + 0.587 * sample(img, sx, sy, 1) + 0.114 * sample(img, sx, sy, 2), 0);
      else for (let c = 0; c < 3; c++) out[c * ow * oh + v * ow + u] = norm(sample(img, sx, sy, c), c);
    }
  }
  return out;
}

/** Eye centres, nose tip and mouth corners from the 68-pt layout (the ArcFace template's order). */
export function fivePoints(p: Point[]): Point[] {
  const m = (...ix: number[]): Point => [ix.reduce((s, i) => s + p[i]![0], 0) / ix.length, ix.reduce((s, i) => s + p[i]![1], 0) / ix.length];
  return [m(37, 38, 40, 41), m(43, 44, 46, 47), p[30]!, m(48, 60), m(54, 64)];
}

/** Least-squares similarity (rotation+scale+shift) mapping src onto dst: x' = a x − b y + tx, y' = b x + a y + ty. */
export function similarityTransform(src: Point[], dst: Point[]): { a: number; b: number; tx: number; ty: number } {
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0]; sy += src[i]![1]; dx += dst[i]![0]; dy += dst[i]![1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let a = 0, b = 0, ss = 0;
  for (let i = 0; i < n; i++) {
    const x = src[i]![0] - sx, y = src[i]![1] - sy, u = dst[i]![0] - dx, v = dst[i]![1] - dy;
    a += x * u + y * v;
    b += x * v - y * u;
    ss += x * x + y * y;
  }
  a /= ss;
  b /= ss;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

const dist = (p: Point, q: Point) => Math.hypot(p[0] - q[0], p[1] - q[1]);

/** Eye aspect ratio of the eye starting at landmark i (36 = one eye, 42 = the other). */
export function eyeAspect(p: Point[], i: number): number {
  return (dist(p[i + 1]!, p[i + 5]!) + dist(p[i + 2]!, p[i + 4]!)) / (2 * dist(p[i]!, p[i + 3]!) || 1);
}

/** Inner-lip opening relative to mouth width. */
export function mouthOpening(p: Point[]): number {
  return (dist(p[61]!, p[67]!) + dist(p[62]!, p[66]!) + dist(p[63]!, p[65]!)) / (3 * dist(p[60]!, p[64]!) || 1);
}

/** Blur (Laplacian variance), exposure, size, eyes, mouth and pose of one face (face-feasibility B.3). */
async function faceQuality(img: Rgb, b: Box, lm: Point[], pose: { yaw: number; pitch: number; roll: number }, toOrig: number): Promise<FaceQuality> {
  const left = Math.max(0, Math.round(b.x - b.width * 0.1));
  const top = Math.max(0, Math.round(b.y - b.height * 0.1));
  const width = Math.max(8, Math.min(img.w - left, Math.round(b.width * 1.2)));
  const height = Math.max(8, Math.min(img.h - top, Math.round(b.height * 1.2)));
  const g = await sharp(img.data, { raw: { width: img.w, height: img.h, channels: 3 } })
    .extract({ left, top, width, height }).greyscale().resize(128, 128, { fit: 'fill' }).raw().toBuffer();
  let sum = 0, hi = 0, lo = 0;
  for (const v of g) {
    sum += v;
    if (v >= 250) hi++;
    if (v <= 5) lo++;
  }
  let s = 0, s2 = 0, n = 0;
  for (let j = 1; j < 127; j++) {
    for (let i = 1; i < 127; i++) {
      const k = j * 128 + i;
      const l = g[k - 1]! + g[k + 1]! + g[k - 128]! + g[k + 128]! - 4 * g[k]!;
      s += l; s2 += l * l; n++;
    }
  }
  const earLeft = eyeAspect(lm, 36);
  const earRight = eyeAspect(lm, 42);
  return {
    blur: s2 / n - (s / n) ** 2,
    meanLuma: sum / g.length,
    clippedHigh: hi / g.length,
    clippedLow: lo / g.length,
    faceSizePx: Math.max(b.width, b.height) * toOrig,
    faceFraction: (b.width * b.height) / (img.w * img.h),
    earLeft,
    earRight,
    ear: (earLeft + earRight) / 2,
    mouthOpen: mouthOpening(lm),
    ...pose,
  };
}
