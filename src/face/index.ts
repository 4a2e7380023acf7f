/** Public API of Hawiya's face engine. */
export { FaceEngine, matchEmbeddings, qualityReasons } from './engine.js';
export type {
  Face, FaceAnalysis, FaceEngineOptions, ImageInput, LivenessFrame, LivenessResult, LivenessVerdict, MatchBand, MatchResult, PortraitResult,
} from './engine.js';
export { DEFAULT_CONFIG, mergeConfig } from './config.js';
export type { FaceConfig, LivenessConfig, MatchThresholds, QualityGates } from './config.js';
export { MODEL_ROLES, ModelIntegrityError, resolveModels } from './models.js';
export type { ModelOverrides, ModelRole, ModelSpec } from './models.js';
export { cosine } from './geometry.js';
export type { Box, FaceQuality, Point } from './types.js';

import { FaceEngine as Engine, type FaceEngineOptions as Options } from './engine.js';

let shared: Promise<Engine> | undefined;

/** One engine per process (its worker pool holds the models): created on first use, options from the first call. */
export function sharedFaceEngine(opts?: Options): Promise<Engine> {
  shared ??= Engine.create(opts).catch((err) => {
    shared = undefined; // let a later call retry, e.g. after the models were fetched
    throw err;
  });
  return shared;
}

export async function closeSharedFaceEngine(): Promise<void> {
  const e = shared;
  shared = undefined;
  if (e) await (await e).close();
}
