/** Pool worker: owns one FacePipeline (its own ONNX sessions) and answers analyze requests. */
import { parentPort, workerData } from 'node:worker_threads';
import { FacePipeline, type PipelineOptions } from './pipeline.js';

export interface WorkerRequest { id: number; bytes: Uint8Array }
export type WorkerReply =
  | { id: number; ok: true; result: import('./types.js').RawAnalysis }
  | { id: number; ok: false; error: string; name: string }
  | { id: -1; ok: true; ready: true }
  | { id: -1; ok: false; error: string; name: string };

const port = parentPort!;
try {
  const pipeline = await FacePipeline.create(workerData as PipelineOptions);
  port.on('message', async (msg: WorkerRequest) => {
    try {
      const result = await pipeline.analyze(Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength));
      port.postMessage({ id: msg.id, ok: true, result } satisfies WorkerReply);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ id: msg.id, ok: false, error: e.message, name: e.name } satisfies WorkerReply);
    }
  });
  port.postMessage({ id: -1, ok: true, ready: true } satisfies WorkerReply);
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  port.postMessage({ id: -1, ok: false, error: e.message, name: e.name } satisfies WorkerReply);
}
