/**
 * Lazily started vision engines. The document and face engines load models on first use (or at start when
 * warmed), so the foundation runs — and /healthz answers — before any model is touched.
 */
export interface Engines {
  /** Starts every engine now (used at server start so the first request is not slow). */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export function noEngines(): Engines {
  return { warm: async () => {}, close: async () => {} };
}
