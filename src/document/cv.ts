/**
 * Loads OpenCV (the pure-wasm build in @techstark/opencv-js, no native code, no network) once per process.
 * The package's typings are huge and do not match its runtime exports exactly, so the handle is typed loosely.
 */
import { createRequire } from 'node:module';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpenCV = any;

let loading: Promise<OpenCV> | undefined;

export function loadOpenCV(): Promise<OpenCV> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    // The emscripten build registers process-wide uncaughtException/unhandledRejection handlers that rethrow
    // (printing its whole 10 MB source) or abort: remove whatever it added so the server keeps its own handling.
    const before = new Map(['uncaughtException', 'unhandledRejection'].map((e) => [e, new Set(process.listeners(e as 'uncaughtException'))]));
    const mod: OpenCV = require('@techstark/opencv-js');
    for (const [event, had] of before) {
      for (const l of process.listeners(event as 'uncaughtException')) if (!had.has(l)) process.removeListener(event, l);
    }
    // Depending on the build the export is the module, a thenable, or a module that fires onRuntimeInitialized.
    if (typeof mod?.then === 'function') {
      const ready: OpenCV = await new Promise((resolve) => mod.then((m: OpenCV) => { delete m.then; resolve(m); }));
      return ready;
    }
    if (!mod.Mat) await new Promise<void>((resolve) => { mod.onRuntimeInitialized = () => resolve(); });
    return mod;
  })();
  return loading;
}
