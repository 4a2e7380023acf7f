/**
 * Hawiya's face engine: the library API used by the HTTP endpoints, the CLI and the eval.
 * Heavy work (decode, ONNX inference) runs in the worker pool; decisions are made here.
 */
import { createHash } from 'node:crypto';
import { decodeImageInput, type DecodedImage } from '../imaging/input.js';
import { VlensError } from '../server/errors.js';
import { mergeConfig, type DeepPartial, type FaceConfig, type MatchThresholds } from './config.js';
import { affineResidual, cosine, homographyResidual, landmarkShift, thumbDiff } from './geometry.js';
import type { ModelOverrides } from './models.js';
import { defaultPoolSize, FacePool } from './pool.js';
import type { Box, FaceQuality, Point, RawAnalysis, RawFace } from './types.js';

export type ImageInput = Buffer | string | DecodedImage;

export interface Face {
  box: Box;
  score: number;
  landmarks: Point[];
  embedding: number[];
  /** Texture PAD: probability the face is live (1 − attackScore). */
  liveScore: number;
  attackScore: number;
  quality: FaceQuality;
  /** Failed quality gates, e.g. `blurry`, `too_dark`, `face_too_small`, `eyes_closed`, `head_turned`. */
  qualityReasons: string[];
}

export interface FaceAnalysis {
  width: number;
  height: number;
  /** Analysed faces, most prominent (large, central) first; faces beyond the first few are only counted. */
  faces: Face[];
  faceCount: number;
  /** The single usable face when `status.ok`. */
  face?: Face;
  status: { ok: boolean; code?: number; reasons: string[] };
  captureTimeMs?: number;
  ms: number;
}

export type MatchBand = 'match' | 'review' | 'no_match';
export interface MatchResult {
  similarity: number;
  band: MatchBand;
  isMatched: boolean;
}

export interface PortraitResult {
  embedding: number[];
  box: Box;
  score: number;
  quality: FaceQuality;
  qualityReasons: string[];
}

export type LivenessVerdict = 'live' | 'not_live' | 'inconclusive';

export interface LivenessFrame {
  box: Box;
  liveScore: number;
  quality: FaceQuality;
  qualityReasons: string[];
  captureTimeMs?: number;
}

export interface LivenessResult {
  live: LivenessVerdict;
  /** Why the verdict is not `live` (empty when live). */
  reasons: string[];
  /** Advice that did not decide the verdict (e.g. no capture times). */
  guidance: string[];
  scores: {
    /** Max non-rigid residual (% of face size) after a planar homography / a 2-D affine fit. */
    nonRigid: number;
    affineResidual: number;
    /** Max raw landmark shift (% of face size) between frames. */
    motion: number;
    blink: number;
    mouth: number;
    /** 1 − lowest pairwise identity cosine: how much the face's appearance changed between frames. */
    appearance: number;
    /** Texture PAD: mean and min live score across frames. */
    pad: number;
    padMin: number;
    /** Lowest pairwise identity cosine between frames. */
    sameIdentity: number;
    /** Capture gaps in ms when all frames carry EXIF times. */
    gapsMs?: number[];
  };
  /** What a `live` verdict rests on: non-rigid motion and texture, or texture alone (a still user). */
  evidence: 'motion+texture' | 'texture_only' | 'none';
  bestFrameIndex: number;
  /** Embedding of the best frame (to match against the ID portrait). */
  embedding: number[];
  /** Present when a reference embedding was given: best frame vs reference. */
  match?: MatchResult;
  frames: LivenessFrame[];
  ms: number;
}

export interface FaceEngineOptions {
  /** Worker threads; default HAWIYA_FACE_WORKERS or min(cores, 2). 0 runs inline. */
  poolSize?: number;
  models?: ModelOverrides;
  config?: DeepPartial<FaceConfig>;
}

export class FaceEngine {
  readonly config: FaceConfig;
  private constructor(private readonly pool: FacePool, config: FaceConfig) {
    this.config = config;
  }

  static async create(opts: FaceEngineOptions = {}): Promise<FaceEngine> {
    const pool = await FacePool.create(opts.poolSize ?? defaultPoolSize(), { models: opts.models });
    return new FaceEngine(pool, mergeConfig(opts.config));
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Every face of one image with quality and PAD; never throws for face problems (see `status`). */
  async analyze(input: ImageInput): Promise<FaceAnalysis> {
    const img = await toDecoded(input);
    const raw = await this.run(img.bytes);
    return this.judge(raw, img.captureTimeMs);
  }

  /** Like analyze, but throws the spec's error when there is not exactly one usable face (4206–4209). */
  async singleFace(input: ImageInput): Promise<Face & { analysis: FaceAnalysis }> {
    const a = await this.analyze(input);
    if (!a.status.ok) throw new VlensError(a.status.code!, detail(a.status.code!, a.status.reasons));
    return { ...a.face!, analysis: a };
  }

  /**
   * Embedding of the ID portrait: input is a rectified card front (largest face; the small ghost portrait
   * is ignored) or a portrait crop. No face → 3014.
   */
  async portraitEmbedding(input: ImageInput): Promise<PortraitResult> {
    const img = await toDecoded(input, 3014);
    const raw = await this.run(img.bytes);
    const f = this.toFaces(raw)[0];
    if (!f) throw new VlensError(3014);
    return { embedding: f.embedding, box: f.box, score: f.score, quality: f.quality, qualityReasons: f.qualityReasons };
  }

  /** Three-band decision on two embeddings. Bad embeddings → 7008. */
  match(a: ArrayLike<number>, b: ArrayLike<number>, thresholds?: Partial<MatchThresholds>): MatchResult {
    return matchEmbeddings(a, b, { ...this.config.match, ...thresholds });
  }

  /** Face-vs-face comparison of two images, either of which may be a whole ID card (largest face used). */
  async compare(a: ImageInput, b: ImageInput, thresholds?: Partial<MatchThresholds>): Promise<MatchResult & { a: PortraitResult; b: PortraitResult }> {
    const [pa, pb] = await Promise.all([this.largestFace(a), this.largestFace(b)]);
    return { ...this.match(pa.embedding, pb.embedding, thresholds), a: pa, b: pb };
  }

  /**
   * Three-frame liveness (spec §5.3). Throws 4206/4207/4208 when a frame lacks exactly one face and 4209
   * when no frame is of usable quality; otherwise returns live / not_live / inconclusive with reasons.
   */
  async liveness(frames: ImageInput[], opts: { reference?: ArrayLike<number>; thresholds?: Partial<MatchThresholds> } = {}): Promise<LivenessResult> {
    const t0 = performance.now();
    if (frames.length !== 3) throw new VlensError(400, 'Exactly three face images are required.', 400);
    const imgs = await Promise.all(frames.map((f) => toDecoded(f)));
    const raws = await Promise.all(imgs.map((i) => this.run(i.bytes)));
    const an = raws.map((r, i) => this.judge(r, imgs[i]!.captureTimeMs));
    an.forEach((a, i) => {
      const code = a.status.code;
      if (code === 4206 || code === 4207 || code === 4208) throw new VlensError(code, `face_${i + 1}: ${detail(code, a.status.reasons)}`);
    });
    const faces = an.map((a) => a.faces[0]!);
    const L = this.config.liveness;
    const reasons: string[] = [];
    const guidance: string[] = [];

    // Frames whose only failure is closed eyes stay usable: a blink is one of the live signals.
    const usable = faces.map((f) => f.qualityReasons.every((r) => r === 'eyes_closed'));
    if (!usable.some(Boolean)) {
      throw new VlensError(4209, detail(4209, [...new Set(faces.flatMap((f) => f.qualityReasons))]));
    }
    if (!usable.every(Boolean)) guidance.push('some_frames_low_quality');
    // Soft reasons make a would-be live verdict inconclusive; every other reason means not live.
    const soft = ['frames_too_far_apart', 'eyes_closed_in_all_frames'];
    if (faces.every((f) => f.qualityReasons.includes('eyes_closed'))) reasons.push('eyes_closed_in_all_frames');

    const hashes = imgs.map((i) => createHash('sha256').update(i.bytes).digest('hex'));
    const pairs: [number, number][] = [[0, 1], [1, 2], [0, 2]];
    let duplicate = false;
    let nonRigid = 0, affine = 0, motion = 0, sameId = 1;
    for (const [i, j] of pairs) {
      const a = faces[i]!, b = faces[j]!;
      // In image-relative units, so a rescaled copy of a frame still counts as a duplicate.
      const shift = landmarkShift(rel(a.landmarks, raws[i]!), rel(b.landmarks, raws[j]!));
      const td = thumbDiff(raws[i]!.thumb, raws[j]!.thumb);
      if (hashes[i] === hashes[j] || (td < L.duplicateThumbDiff && shift < L.duplicateShift)) duplicate = true;
      motion = Math.max(motion, shift);
      nonRigid = Math.max(nonRigid, homographyResidual(a.landmarks, b.landmarks));
      affine = Math.max(affine, affineResidual(a.landmarks, b.landmarks));
      sameId = Math.min(sameId, cosine(a.embedding, b.embedding));
    }
    const ears = faces.map((f) => f.quality.ear);
    const blink = (Math.max(...ears) - Math.min(...ears)) / (Math.max(...ears) || 1);
    const mouths = faces.map((f) => f.quality.mouthOpen);
    const mouth = Math.max(...mouths) - Math.min(...mouths);
    const pads = faces.map((f) => f.liveScore);
    const pad = pads.reduce((s, x) => s + x, 0) / pads.length;
    const padMin = Math.min(...pads);

    let gapsMs: number[] | undefined;
    const times = imgs.map((i) => i.captureTimeMs);
    if (times.every((t): t is number => t !== undefined)) {
      gapsMs = [times[1]! - times[0]!, times[2]! - times[1]!];
      if (gapsMs.some((g) => g < 0)) reasons.push('capture_times_out_of_order');
      else if (gapsMs.some((g) => g > L.maxFrameGapMs)) reasons.push('frames_too_far_apart');
    } else {
      guidance.push('capture_times_unavailable');
    }

    let live: LivenessVerdict;
    const appearance = 1 - sameId;
    const liveMotion = nonRigid >= L.motionLive || blink >= L.blinkChange || mouth >= L.mouthChange || appearance >= L.appearanceLive;
    if (duplicate) reasons.push('duplicate_frames');
    if (sameId < L.sameIdentity) reasons.push('identity_changed_between_frames');
    if (pad < L.padAttack) reasons.push('presentation_attack_texture');
    let evidence: LivenessResult['evidence'] = 'none';
    if (reasons.some((r) => !soft.includes(r))) {
      live = 'not_live';
    } else if (liveMotion && pad >= L.padLive) {
      evidence = 'motion+texture';
      live = reasons.length ? 'inconclusive' : 'live';
    } else if (liveMotion) {
      reasons.push('presentation_attack_texture_suspected');
      live = 'inconclusive';
    } else if (L.passiveAccept !== null && pad >= L.passiveAccept) {
      // A still user: the three frames add nothing, so the texture model decides alone.
      evidence = 'texture_only';
      guidance.push('no_live_motion');
      live = reasons.length ? 'inconclusive' : 'live';
    } else if (pad < L.padLive) {
      reasons.push('rigid_motion_only', 'presentation_attack_texture_suspected');
      live = 'not_live';
    } else if (appearance < L.appearanceStatic) {
      reasons.push('rigid_motion_only', 'same_picture_in_every_frame');
      live = 'not_live';
    } else {
      reasons.push('no_live_motion');
      guidance.push('ask_user_to_blink_or_smile');
      live = 'inconclusive';
    }

    const bestFrameIndex = bestFrame(faces, usable);
    const best = faces[bestFrameIndex]!;
    return {
      live,
      reasons,
      guidance,
      evidence,
      scores: { nonRigid, affineResidual: affine, motion, blink, mouth, appearance, pad, padMin, sameIdentity: sameId, gapsMs },
      bestFrameIndex,
      embedding: best.embedding,
      match: opts.reference ? this.match(best.embedding, opts.reference, opts.thresholds) : undefined,
      frames: faces.map((f, i) => ({ box: f.box, liveScore: f.liveScore, quality: f.quality, qualityReasons: f.qualityReasons, captureTimeMs: imgs[i]!.captureTimeMs })),
      ms: performance.now() - t0,
    };
  }

  private async largestFace(input: ImageInput): Promise<PortraitResult> {
    const img = await toDecoded(input);
    const raw = await this.run(img.bytes);
    const f = this.toFaces(raw)[0];
    if (!f) throw new VlensError(raw.weakScore > 0 ? 4208 : 4207);
    return { embedding: f.embedding, box: f.box, score: f.score, quality: f.quality, qualityReasons: f.qualityReasons };
  }

  private async run(bytes: Buffer): Promise<RawAnalysis> {
    try {
      return await this.pool.analyze(bytes);
    } catch (err) {
      throw new VlensError(7008, `face processing failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private toFaces(raw: RawAnalysis): Face[] {
    return raw.faces.filter((f) => f.analysed).map((f) => this.toFace(f));
  }

  private toFace(f: RawFace): Face {
    const q = f.quality!;
    return {
      box: f.box,
      score: f.score,
      landmarks: f.landmarks!,
      embedding: f.embedding!,
      liveScore: f.liveScore!,
      attackScore: 1 - f.liveScore!,
      quality: q,
      qualityReasons: qualityReasons(q, this.config.quality),
    };
  }

  private judge(raw: RawAnalysis, captureTimeMs?: number): FaceAnalysis {
    const faces = this.toFaces(raw);
    const base = { width: raw.width, height: raw.height, faces, faceCount: raw.faces.length, captureTimeMs, ms: raw.ms };
    if (raw.faces.length === 0) {
      return { ...base, status: raw.weakScore > 0 ? { ok: false, code: 4208, reasons: ['face_unclear'] } : { ok: false, code: 4207, reasons: ['no_face'] } };
    }
    const largest = Math.max(...raw.faces.map((f) => f.box.width));
    const competing = raw.faces.filter((f) => f.box.width >= this.config.quality.secondaryFaceRatio * largest).length;
    if (competing > 1) return { ...base, status: { ok: false, code: 4206, reasons: ['multiple_faces'] } };
    const face = faces[0]!;
    if (face.qualityReasons.length) return { ...base, face, status: { ok: false, code: 4209, reasons: face.qualityReasons } };
    return { ...base, face, status: { ok: true, reasons: [] } };
  }
}

/** Quality gate failures of one face. */
export function qualityReasons(q: FaceQuality, g: FaceConfig['quality']): string[] {
  const r: string[] = [];
  if (q.faceSizePx < g.minFaceSize) r.push('face_too_small');
  if (q.blur < g.minBlur) r.push('blurry');
  if (q.meanLuma < g.minLuma || q.clippedLow > g.maxClipped) r.push('too_dark');
  if (q.meanLuma > g.maxLuma || q.clippedHigh > g.maxClipped) r.push('overexposed');
  if (Math.abs(q.yaw) > g.maxYaw || Math.abs(q.pitch - g.pitchZero) > g.maxPitch || Math.abs(q.roll) > g.maxRoll) r.push('head_turned');
  if (q.ear < g.minEar) r.push('eyes_closed');
  return r;
}

export function matchEmbeddings(a: ArrayLike<number>, b: ArrayLike<number>, t: MatchThresholds): MatchResult {
  const valid = (e: ArrayLike<number>) => e && e.length > 0 && Array.prototype.every.call(e, (x: number) => Number.isFinite(x));
  if (!valid(a) || !valid(b) || a.length !== b.length) throw new VlensError(7008, 'face embeddings are missing or incompatible');
  const similarity = cosine(a, b);
  const band: MatchBand = similarity >= t.match ? 'match' : similarity >= t.review ? 'review' : 'no_match';
  return { similarity, band, isMatched: band === 'match' };
}

const rel = (p: Point[], r: RawAnalysis): Point[] => p.map(([x, y]) => [x / r.width, y / r.height] as Point);

/** Most frontal, eyes-open, sharp usable frame. */
function bestFrame(faces: Face[], usable: boolean[]): number {
  let best = 0;
  let bestScore = -Infinity;
  faces.forEach((f, i) => {
    const q = f.quality;
    const s = (usable[i] ? 100 : 0) + (f.qualityReasons.includes('eyes_closed') ? 0 : 50) - Math.abs(q.yaw) - Math.abs(q.roll) + Math.min(q.blur, 500) / 50;
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  });
  return best;
}

async function toDecoded(input: ImageInput, noImageCode?: number): Promise<DecodedImage> {
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) return input;
  try {
    return await decodeImageInput(input);
  } catch (err) {
    if (noImageCode && err instanceof VlensError && err.code === 400) throw new VlensError(noImageCode);
    throw err;
  }
}

function detail(code: number, reasons: string[]): string {
  const names: Record<number, string> = { 4206: 'More than one face in the image', 4207: 'No face detected', 4208: 'Make sure there is a face in the image', 4209: 'Recapture the face' };
  return `${names[code] ?? 'Face error'} (${reasons.join(', ')})`;
}
