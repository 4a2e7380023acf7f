/**
 * Face model registry: every role the engine needs maps to one ONNX file, its pinned sha256 and the input
 * contract the pre-processing in `pipeline.ts` implements. A deployment can swap any model for its own
 * licensed one with `HAWIYA_FACE_MODEL_<ROLE>=/path/model.onnx` + `HAWIYA_FACE_MODEL_<ROLE>_SHA256=<hex>`,
 * provided it keeps the same input/output contract. Defaults are extracted by `scripts/fetch-models.mjs`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ModelRole = 'detector' | 'landmarks' | 'embedding' | 'pad' | 'eyes' | 'pose';
export const MODEL_ROLES: readonly ModelRole[] = ['detector', 'landmarks', 'embedding', 'pad', 'eyes', 'pose'];

export interface ModelInputSpec {
  /** NCHW shape of the single input tensor. */
  shape: [number, number, number, number];
  channels: 'rgb' | 'bgr' | 'grey';
  /** How pixels 0..255 are scaled: `(v - mean) / std` per channel. */
  mean: number[];
  std: number[];
  /** What crop the model expects. */
  crop: string;
}

export interface ModelSpec {
  role: ModelRole;
  path: string;
  sha256: string;
  input: ModelInputSpec;
  /** Where the default file comes from (for MODELS.md and error messages). */
  origin: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Pinned default files, shared with scripts/fetch-models.mjs. */
const PINNED = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'default-models.json'), 'utf8')) as {
  package: string;
  dir: string;
  files: Record<ModelRole, { file: string; sha256: string }>;
};
export const DEFAULT_MODEL_DIR = join(ROOT, 'models', PINNED.dir);
const ORIGIN = `npm ${PINNED.package} package/model/`;

const DEFAULTS: Record<ModelRole, Pick<ModelSpec, 'input' | 'origin'>> = {
  detector: {
    input: { shape: [1, 3, 240, 320], channels: 'rgb', mean: [127, 127, 127], std: [128, 128, 128], crop: 'whole image stretched to 320x240; outputs scores[1,N,2] and decoded boxes[1,N,4] (x1y1x2y2, 0..1)' },
    origin: ORIGIN + 'fr_detect.onnx (Ultra-Light-Fast-Generic-Face-Detector RFB-320)',
  },
  landmarks: {
    input: { shape: [1, 1, 64, 64], channels: 'grey', mean: [0], std: [256], crop: 'detector box; outputs 68 (x,y) in box units' },
    origin: ORIGIN + 'fr_landmark.onnx',
  },
  embedding: {
    input: { shape: [1, 3, 112, 112], channels: 'rgb', mean: [127, 127, 127], std: [128, 128, 128], crop: '5-point similarity alignment to the ArcFace 112x112 template; outputs [1,512]' },
    origin: ORIGIN + 'fr_feature.onnx',
  },
  pad: {
    input: { shape: [1, 3, 128, 128], channels: 'bgr', mean: [0, 0, 0], std: [1, 1, 1], crop: '2.7x box context crop; outputs [1,3] logits, softmax[0] = live' },
    origin: ORIGIN + 'fr_liveness.onnx',
  },
  eyes: {
    input: { shape: [1, 1, 24, 24], channels: 'grey', mean: [0], std: [255], crop: 'eye region; outputs [1,2]' },
    origin: ORIGIN + 'fr_eye.onnx',
  },
  pose: {
    input: { shape: [1, 3, 224, 224], channels: 'rgb', mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], crop: '1.5x box; outputs yaw/pitch/roll as 66-bin logits (3 deg bins, -99 offset)' },
    origin: ORIGIN + 'fr_pose.onnx (HopeNet-style)',
  },
};

export type ModelOverrides = Partial<Record<ModelRole, { path: string; sha256: string }>>;

/** Resolves the model of every role: explicit overrides, then env, then the defaults. */
export function resolveModels(overrides: ModelOverrides = {}, env: NodeJS.ProcessEnv = process.env): Record<ModelRole, ModelSpec> {
  const out = {} as Record<ModelRole, ModelSpec>;
  const dir = env.HAWIYA_MODELS_DIR ? join(resolve(env.HAWIYA_MODELS_DIR), PINNED.dir) : DEFAULT_MODEL_DIR;
  for (const role of MODEL_ROLES) {
    const d = DEFAULTS[role];
    const key = `HAWIYA_FACE_MODEL_${role.toUpperCase()}`;
    const o = overrides[role];
    let path = join(dir, PINNED.files[role].file);
    let sha256 = PINNED.files[role].sha256;
    let origin = d.origin;
    if (o) {
      ({ path, sha256 } = o);
      origin = 'configured override';
    } else if (env[key]) {
      const sum = env[`${key}_SHA256`];
      // A custom model without a pinned checksum is refused: the point of the registry is knowing what runs.
      if (!sum) throw new Error(`${key} is set but ${key}_SHA256 is missing`);
      path = resolve(env[key]!);
      sha256 = sum.toLowerCase();
      origin = `env ${key}`;
    }
    out[role] = { role, path, sha256, input: d.input, origin };
  }
  return out;
}

export class ModelIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelIntegrityError';
  }
}

/** Reads a model file and refuses it unless its sha256 is the pinned one. Returns the bytes (loaded once). */
export function loadVerifiedModel(spec: ModelSpec): Buffer {
  if (!existsSync(spec.path)) {
    throw new ModelIntegrityError(
      `face model for role "${spec.role}" not found at ${spec.path}; run \`node scripts/fetch-models.mjs\` (npm install does it)`,
    );
  }
  const bytes = readFileSync(spec.path);
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== spec.sha256) {
    throw new ModelIntegrityError(`face model for role "${spec.role}" at ${spec.path} has sha256 ${got}, expected ${spec.sha256}`);
  }
  return bytes;
}
