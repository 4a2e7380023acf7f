/** Tunable thresholds of the face engine. Defaults come from bench/eval-face.ts (see bench/results/face.md). */

export interface MatchThresholds {
  /** Cosine similarity at or above which two faces match. */
  match: number;
  /** At or above this (and below `match`): manual review. Below: no match. */
  review: number;
}

export interface QualityGates {
  /** Minimum Laplacian variance of the 128 px face crop. */
  minBlur: number;
  minLuma: number;
  maxLuma: number;
  /** Maximum share of clipped (≥250 or ≤5) pixels in the face crop. */
  maxClipped: number;
  /** Minimum face box side in pixels. */
  minFaceSize: number;
  /** Below this mean eye aspect ratio the eyes count as closed. */
  minEar: number;
  maxYaw: number;
  /** Pitch limit around `pitchZero` (the pose model reads frontal faces at about −10°). */
  maxPitch: number;
  pitchZero: number;
  maxRoll: number;
  /** A second face smaller than this share of the largest face's width is ignored (background people). */
  secondaryFaceRatio: number;
}

export interface LivenessConfig {
  /** Texture PAD: mean live score below this means attack. */
  padAttack: number;
  /** Texture PAD: mean live score needed for a "live" verdict. */
  padLive: number;
  /** Non-rigid motion (max homography residual, % of face size) that counts as a live signal. */
  motionLive: number;
  /** Eye-aspect relative change that counts as a blink, and mouth-opening change as expression. */
  blinkChange: number;
  mouthChange: number;
  /**
   * Appearance change between frames (1 − lowest pairwise embedding cosine). A photo or screen shows the
   * same picture in every frame (≈ 0.01–0.02); a live face changes expression, lighting and 3-D pose.
   * At or above `appearanceLive` it is a live signal; below `appearanceStatic` the frames are one picture.
   */
  appearanceLive: number;
  appearanceStatic: number;
  /** Minimum cosine between any two frames (same identity across frames). */
  sameIdentity: number;
  /** Near-duplicate frames: thumbnail difference and landmark shift (% of face size) both below these. */
  duplicateThumbDiff: number;
  duplicateShift: number;
  /**
   * When the frames show no live motion (a user holding perfectly still), accept on the texture PAD alone
   * if its mean live score is at least this; `null` requires a motion signal (stricter, more retries).
   */
  passiveAccept: number | null;
  /** Spec §5.3 capture rule, checked when every frame has an EXIF capture time. */
  maxFrameGapMs: number;
}

export interface FaceConfig {
  match: MatchThresholds;
  quality: QualityGates;
  liveness: LivenessConfig;
}

export const DEFAULT_CONFIG: FaceConfig = {
  match: { match: 0.4, review: 0.3 },
  quality: {
    minBlur: 15,
    minLuma: 35,
    maxLuma: 225,
    maxClipped: 0.4,
    minFaceSize: 60,
    minEar: 0.16,
    maxYaw: 35,
    maxPitch: 35,
    pitchZero: -10,
    maxRoll: 35,
    secondaryFaceRatio: 0.35,
  },
  liveness: {
    padAttack: 0.2,
    padLive: 0.5,
    motionLive: 1.5,
    blinkChange: 0.3,
    mouthChange: 0.12,
    appearanceLive: 0.04,
    appearanceStatic: 0.025,
    sameIdentity: 0.6,
    duplicateThumbDiff: 0.4,
    duplicateShift: 0.25,
    passiveAccept: 0.95,
    maxFrameGapMs: 500,
  },
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? Partial<T[K]> : T[K] };

export function mergeConfig(over: DeepPartial<FaceConfig> = {}): FaceConfig {
  return {
    match: { ...DEFAULT_CONFIG.match, ...over.match },
    quality: { ...DEFAULT_CONFIG.quality, ...over.quality },
    liveness: { ...DEFAULT_CONFIG.liveness, ...over.liveness },
  };
}
