/**
 * The real engines: the document engine (OpenCV + Tesseract + digit reader) and the face engine (ONNX models
 * in a worker pool). Each starts on first use; `warm()` starts both at server start.
 */
import type { Config } from '../config.js';
import { DocumentEngine } from '../document/engine.js';
import { FaceEngine } from '../face/index.js';
import { lazy, type DocumentReader, type Engines } from './engines.js';

export async function createEngines(_config: Config): Promise<Engines> {
  const ocrWorkers = process.env.HAWIYA_OCR_WORKERS ? Number(process.env.HAWIYA_OCR_WORKERS) : undefined;
  const doc = lazy<DocumentReader>(async () => DocumentEngine.create({ textWorkers: ocrWorkers }));
  const face = lazy(() => FaceEngine.create());
  return {
    document: doc.get,
    face: face.get,
    warm: async () => {
      await Promise.all([doc.get(), face.get()]);
    },
    state: () => ({ document: doc.state(), face: face.state() }),
    close: async () => {
      await Promise.all([doc.peek()?.then((d) => d.close()), face.peek()?.then((f) => f.close())]);
    },
  };
}
