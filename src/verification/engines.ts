/**
 * The vision engines behind the verification flow, started lazily: the foundation runs and /healthz answers
 * before any model is touched; `warm()` at server start makes the first verification fast.
 */
import type { FaceEngine } from '../face/index.js';

/** A finding on one extracted field, in the Vlens `validation_errors` shape (spec §6.2). */
export interface ValidationFinding {
  field: string;
  value: string | null;
  errors: { code: number; message: string }[];
}

/** What the verification flow needs from a document scan. */
export interface DocumentScan {
  side: 'front' | 'back';
  docType: string;
  /** Spec §7 field object (idFrontData / idBackData content). */
  data: Record<string, unknown>;
  findings: ValidationFinding[];
  spoof: { fake: boolean; reasons: string[]; scores: Record<string, number> };
  /** Canonical card image (JPEG). */
  rectified: Buffer;
  /** Front only: the portrait crop for the face engine. */
  portrait?: Buffer;
}

export interface DocumentReader {
  scan(image: Buffer, opts?: { expectedSide?: 'front' | 'back'; now?: Date }): Promise<DocumentScan>;
  classify?(image: Buffer): Promise<{ side: 'front' | 'back' | 'other'; docType: string }>;
  close(): Promise<void>;
}

export interface Engines {
  document(): Promise<DocumentReader>;
  face(): Promise<FaceEngine>;
  /** Starts every engine now (used at server start so the first request is not slow). */
  warm(): Promise<void>;
  /** For /readyz: each engine's state. */
  state(): Record<string, EngineState>;
  close(): Promise<void>;
}

export type EngineState = 'off' | 'idle' | 'starting' | 'ready' | 'failed';

/** Engines that were switched off (HAWIYA_ENGINES=off): verification endpoints answer 503. */
export function noEngines(): Engines {
  const off = async (): Promise<never> => {
    const { VlensError } = await import('../server/errors.js');
    throw new VlensError(503, 'The vision engines are disabled on this server (HAWIYA_ENGINES=off).', 503);
  };
  return { document: off, face: off, warm: async () => {}, state: () => ({ document: 'off', face: 'off' }), close: async () => {} };
}

/** Memoises an async factory so concurrent first calls share one start-up. */
export function lazy<T>(make: () => Promise<T>): { get(): Promise<T>; peek(): Promise<T> | undefined; state(): EngineState } {
  let p: Promise<T> | undefined;
  let state: EngineState = 'idle';
  return {
    get: () => (p ??= (state = 'starting', make().then((v) => { state = 'ready'; return v; }, (e) => { p = undefined; state = 'failed'; throw e; }))),
    peek: () => p,
    state: () => state,
  };
}
