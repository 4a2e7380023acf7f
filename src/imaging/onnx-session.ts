/**
 * onnxruntime session options shared by the face engine's models and the document engine's own networks: one
 * intra-op thread per session and no spinning. The server gets its parallelism from concurrent requests and
 * worker threads; spinning threads starve Node's own.
 */
import type { InferenceSession } from 'onnxruntime-node';

export const ONE_THREAD_SESSION: InferenceSession.SessionOptions = {
  logSeverityLevel: 3,
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};
