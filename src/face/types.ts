/** Data shapes shared by the face pipeline (worker side) and the engine API (main thread). */

export type Point = [number, number];

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceQuality {
  /** Laplacian variance of the 128 px grey face crop (higher = sharper). */
  blur: number;
  /** Mean luma 0..255 of the face crop and fractions of clipped pixels. */
  meanLuma: number;
  clippedHigh: number;
  clippedLow: number;
  /** Face box size in pixels of the original image, and its share of the image area. */
  faceSizePx: number;
  faceFraction: number;
  /** Eye aspect ratio per eye and their mean (68-pt landmarks); open eyes ≈ 0.25–0.45. */
  earLeft: number;
  earRight: number;
  ear: number;
  /** Inner-mouth opening / mouth width (0 = closed). */
  mouthOpen: number;
  /** Head pose in degrees from the pose model (pitch as the model reads it: frontal ≈ −15). */
  yaw: number;
  pitch: number;
  roll: number;
}

/** One face as the pipeline sees it. Faces beyond the first few only carry box and score. */
export interface RawFace {
  box: Box;
  score: number;
  analysed: boolean;
  landmarks?: Point[];
  /** L2-normalised 512-d embedding (compare with cosine = dot product). */
  embedding?: number[];
  /** Texture PAD model: probability of a live face (softmax class 0). */
  liveScore?: number;
  quality?: FaceQuality;
}

export interface RawAnalysis {
  width: number;
  height: number;
  /** Faces by decreasing prominence (box area, weighted towards the image centre). */
  faces: RawFace[];
  /** Best score among detections below the face threshold (a "face-like" blob). */
  weakScore: number;
  /** 32x32 grey thumbnail of the whole image, for near-duplicate checks. */
  thumb: number[];
  ms: number;
}
